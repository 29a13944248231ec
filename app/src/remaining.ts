// Remaining accounts the programs read past their named ones: value-anchor's accepted pools
// (backing-slot order) on exchange, PSM and cover instructions; the reserve's listed pools
// (slot order) then value-anchor's accepted pools on share valuations (deposit, withdraw,
// stake, unstake). The generated builders take named accounts only; append these with
// `withPools`, as the Rust SDK's `with_pools` does.
import { AccountRole, type Address, type Instruction } from "@solana/kit";

/** `ix` with `pools` appended as read-only accounts, in the order given. */
export function withPools<T extends Instruction>(ix: T, pools: readonly Address[]): T {
  return {
    ...ix,
    accounts: [
      ...(ix.accounts ?? []),
      ...pools.map((address) => ({ address, role: AccountRole.READONLY })),
    ],
  };
}
