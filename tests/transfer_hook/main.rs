//! transfer-hook integration tests: permissioned units through the real Token-2022
//! `transfer_checked` (program-test runs Token-2022, which invokes the hook), unit metadata,
//! every hook instruction's happy path and refusals, and the protocol's flows with
//! permissioned units; the anchor token's metadata and its token program.
mod anchor_metadata;
mod attestations;
mod holders;
mod metadata;
mod protocol_flows;
mod transfers;
