//! The SDK (`rwa-sdk`) against the programs in the embedded runtime, through its
//! `BanksChain`: composed transactions, previews compared with what the programs paid, and
//! failures decoded by name.
mod compose;
mod preview;
