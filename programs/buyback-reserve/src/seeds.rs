//! PDA seeds of every buyback-reserve account, in one place.

/// `[CONFIG]`: the singleton reserve config; owner of every vault and of the protocol mint.
pub const CONFIG: &[u8] = b"config";
/// `[BOOK]`: the reserve's accounts: holdings, shares, epoch usage, insurance, staking.
pub const BOOK: &[u8] = b"book";
/// `[STABLE_VAULT]`: the reserve's capital in the reserve stablecoin (pays sellers).
pub const STABLE_VAULT: &[u8] = b"stable_vault";
/// `[INSURANCE_VAULT]`: the insurance pool's capital (first loss).
pub const INSURANCE_VAULT: &[u8] = b"insurance_vault";
/// `[FEE_VAULT]`: where value-anchor's swept PSM fees arrive before `distribute_fees`.
pub const FEE_VAULT: &[u8] = b"fee_vault";
/// `[REWARDS_VAULT]`: stable owed to protocol-token stakers.
pub const REWARDS_VAULT: &[u8] = b"rewards_vault";
/// `[ANCHOR_VAULT]`: anchor tokens bought by the standing bid, until the crank redeems them.
pub const ANCHOR_VAULT: &[u8] = b"anchor_vault";
/// `[PROTOCOL_MINT]`: the fixed-supply protocol token.
pub const PROTOCOL_MINT: &[u8] = b"protocol_mint";
/// `[TREASURY]`: the protocol token's whole supply at creation.
pub const TREASURY: &[u8] = b"treasury";
/// `[STAKE_VAULT]`: staked protocol tokens.
pub const STAKE_VAULT: &[u8] = b"stake_vault";
/// `[LISTED_POOL, pool]`: a receivables pool the reserve buys, with its holding slot and cap.
pub const LISTED_POOL: &[u8] = b"listed";
/// `[UNITS, pool]`: the reserve's unit account for a listed pool.
pub const UNITS: &[u8] = b"units";
/// `[POSITION, kind, owner]`: a depositor's or staker's position (kind: `PositionKind as u8`).
pub const POSITION: &[u8] = b"position";
