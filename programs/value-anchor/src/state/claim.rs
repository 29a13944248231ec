use anchor_lang::prelude::*;

use crate::state::MAX_POOLS;

/// What an in-kind redemption still owes its holder: units of each accepted pool (by backing
/// slot), fixed when the redemption burned the tokens. PDA: `[seeds::CLAIM, holder, nonce]`.
#[account]
#[derive(InitSpace)]
pub struct InKindClaim {
    pub holder: Pubkey,
    pub nonce: u64,
    pub units_owed: [u64; MAX_POOLS],
    pub bump: u8,
}

impl InKindClaim {
    pub fn is_settled(&self) -> bool {
        self.units_owed.iter().all(|&u| u == 0)
    }
}
