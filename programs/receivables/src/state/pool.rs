use anchor_lang::prelude::*;

use crate::errors::ReceivablesError;

/// Most cash flows one pool's schedule may hold. Bounded so that valuing a whole pool fits one
/// instruction's compute budget on the SBF VM.
pub const MAX_SCHEDULE_LEN: usize = 64;
/// Longest document-bundle URI.
pub const MAX_URI_LEN: usize = 128;
/// Risk grades are indices into the oracle's grade table: 0 = A ... 4 = E.
pub const MAX_GRADE: u8 = 4;

/// What kind of receivable a pool packages (data, not behaviour).
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssetClass {
    TradeReceivable,
    SmeLoan,
    RealEstateIncome,
    RevenueRight,
}

/// Lifecycle: Draft -> Active -> (Late) -> Matured | Defaulted -> Closed.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolStatus {
    Draft,
    Active,
    Late,
    Matured,
    Defaulted,
    Closed,
}

/// One scheduled payment: due time (unix seconds), amount due and amount already paid
/// (currency base units).
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct CashFlow {
    pub due_ts: i64,
    pub amount: u64,
    pub paid: u64,
}

/// One receivable pool. PDA: `[seeds::POOL, issuer authority, index (u32 LE)]`.
#[account]
#[derive(InitSpace)]
pub struct Pool {
    /// The issuer's authority key.
    pub issuer: Pubkey,
    /// Records repayments, lateness, defaults, recoveries and write-downs.
    pub servicer: Pubkey,
    /// Payment token of the receivables (the reserve stablecoin for value-anchor pools).
    pub currency_mint: Pubkey,
    /// Fractional unit mint (PDA `[seeds::UNIT_MINT, pool]`, mint authority = this pool).
    pub unit_mint: Pubkey,
    /// Repayment vault (PDA `[seeds::VAULT, pool]`, token authority = this pool).
    pub vault: Pubkey,
    /// Index of this pool among its issuer's pools.
    pub index: u32,
    pub asset_class: AssetClass,
    /// Risk grade, an index into the oracle's grade table.
    pub grade: u8,
    pub status: PoolStatus,
    /// Face value in currency base units.
    pub face_value: u64,
    /// Currency base units of face value one unit base unit stands for.
    pub unit_size: u64,
    /// Units minted so far; never above `face_value / unit_size`.
    pub units_minted: u64,
    /// SHA-256 of the off-chain document bundle.
    pub doc_hash: [u8; 32],
    #[max_len(MAX_URI_LEN)]
    pub uri: String,
    #[max_len(MAX_SCHEDULE_LEN)]
    pub schedule: Vec<CashFlow>,
    /// Canonical bumps of the pool, unit mint and vault PDAs.
    pub bump: u8,
    pub unit_mint_bump: u8,
    pub vault_bump: u8,
}

impl Pool {
    /// Units this pool may ever have: the face value in units (exact by construction).
    pub fn max_units(&self) -> Result<u64> {
        self.face_value
            .checked_div(self.unit_size)
            .ok_or_else(|| error!(ReceivablesError::InvalidUnitSize))
    }

    /// Checks the bounds every stored pool must satisfy; called after every change.
    pub fn invariant(&self) -> Result<()> {
        require!(self.grade <= MAX_GRADE, ReceivablesError::InvalidGrade);
        require!(self.uri.len() <= MAX_URI_LEN, ReceivablesError::UriTooLong);
        require!(
            self.unit_size > 0
                && self.face_value > 0
                && self.face_value.is_multiple_of(self.unit_size),
            ReceivablesError::InvalidUnitSize
        );
        require!(self.units_minted <= self.max_units()?, ReceivablesError::OverMint);
        validate_schedule_shape(&self.schedule)?;
        Ok(())
    }
}

/// Length bound, positive amounts and strictly ascending due times (no duplicates).
pub fn validate_schedule_shape(schedule: &[CashFlow]) -> Result<()> {
    require!(
        !schedule.is_empty() && schedule.len() <= MAX_SCHEDULE_LEN,
        ReceivablesError::InvalidScheduleLength
    );
    require!(schedule.iter().all(|cf| cf.amount > 0), ReceivablesError::ZeroCashFlow);
    require!(
        schedule.windows(2).all(|w| w[0].due_ts < w[1].due_ts),
        ReceivablesError::ScheduleNotSorted
    );
    Ok(())
}
