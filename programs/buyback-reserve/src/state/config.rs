use anchor_lang::prelude::*;

use crate::errors::ReserveError;

/// Deepest discount the exit curve may reach (10%): the hard cap.
pub const MAX_DISCOUNT_BPS: u16 = 1_000;
/// Widest band below par of the standing bid for the anchor token (1%).
pub const MAX_BAND_BPS: u16 = 100;
/// Grades a receivables pool may carry (0..=4); the curve's floor is set per grade.
pub const GRADES: usize = 5;
/// Shortest and longest epoch; longest cooldown; shortest and longest withdrawal window;
/// longest price age.
pub const MIN_EPOCH_SECS: u32 = 3_600;
pub const MAX_EPOCH_SECS: u32 = 30 * 86_400;
pub const MAX_COOLDOWN_SECS: u32 = 30 * 86_400;
pub const MIN_WINDOW_SECS: u32 = 3_600;
pub const MAX_WINDOW_SECS: u32 = 30 * 86_400;
pub const MAX_PRICE_AGE_SECS: u32 = 86_400;
pub const BPS: u16 = 10_000;

/// Every parameter of the reserve; changed only by the admin (`set_params`), bounds checked.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReserveParams {
    /// Length of a budget epoch; usage resets at each epoch boundary.
    pub epoch_secs: u32,
    /// Gross value (units x price) the reserve buys per epoch, all pools.
    pub sale_budget: u64,
    /// The curve's discount at zero utilisation, per pool grade (bps).
    pub min_discount_bps: [u16; GRADES],
    /// The curve's discount at full utilisation (bps, <= `MAX_DISCOUNT_BPS`).
    pub max_discount_bps: u16,
    /// The curve's exponent k in `d(u) = d_min + (d_max - d_min) x u^k` (1..=4).
    pub curve_exponent: u8,
    /// The standing bid for the anchor token pays `1 - band` of its value (bps, 1..=100).
    pub bid_band_bps: u16,
    /// Anchor tokens the bid buys per epoch.
    pub bid_budget: u64,
    /// Oldest pricer rate a sale or a mark accepts, and oldest mark the share value uses.
    pub max_price_age_secs: u32,
    /// Share of every exit discount paid to the insurance pool (bps).
    pub discount_to_insurance_bps: u16,
    /// Shares of distributed protocol fees paid to the insurance pool and to protocol-token
    /// stakers (bps; the rest goes to the reserve's depositors).
    pub fee_to_insurance_bps: u16,
    pub fee_to_stakers_bps: u16,
    /// Reserve deposits: cooldown after `request_exit`, then the window to withdraw in.
    pub deposit_cooldown_secs: u32,
    pub deposit_window_secs: u32,
    /// Insurance and protocol-token stakes: the same, typically 10 days + 2 (Aave).
    pub stake_cooldown_secs: u32,
    pub stake_window_secs: u32,
}

impl ReserveParams {
    pub fn validate(&self) -> Result<()> {
        require!(
            self.max_discount_bps <= MAX_DISCOUNT_BPS
                && (1..=rwa_math::exit_curve::MAX_EXPONENT).contains(&self.curve_exponent)
                && self.min_discount_bps.iter().all(|&d| d <= self.max_discount_bps),
            ReserveError::InvalidExitCurve
        );
        let window = MIN_WINDOW_SECS..=MAX_WINDOW_SECS;
        require!(
            (MIN_EPOCH_SECS..=MAX_EPOCH_SECS).contains(&self.epoch_secs)
                && (1..=MAX_BAND_BPS).contains(&self.bid_band_bps)
                && (1..=MAX_PRICE_AGE_SECS).contains(&self.max_price_age_secs)
                && self.discount_to_insurance_bps <= BPS
                && self.fee_to_insurance_bps as u32 + self.fee_to_stakers_bps as u32 <= BPS as u32
                && self.deposit_cooldown_secs <= MAX_COOLDOWN_SECS
                && self.stake_cooldown_secs <= MAX_COOLDOWN_SECS
                && window.contains(&self.deposit_window_secs)
                && window.contains(&self.stake_window_secs),
            ReserveError::InvalidParams
        );
        Ok(())
    }

    /// The exit curve for a pool of `grade`.
    pub fn curve(&self, grade: u8) -> Result<rwa_math::ExitCurve> {
        let min = *self.min_discount_bps.get(grade as usize).ok_or(ReserveError::InvalidParams)?;
        rwa_math::ExitCurve::from_bps(min, self.max_discount_bps, self.curve_exponent)
            .map_err(|_| error!(ReserveError::InvalidExitCurve))
    }
}

/// The singleton reserve configuration. PDA: `[seeds::CONFIG]`; the owner of every vault and
/// the protocol mint's (revoked) authority.
#[account]
#[derive(InitSpace)]
pub struct ReserveConfig {
    /// Changes parameters (a Squads v4 multisig with a time lock, or a Realms governance PDA,
    /// in production).
    pub admin: Pubkey,
    /// May pause immediately.
    pub guardian: Pubkey,
    /// When set, the reserve buys nothing and takes no deposits or stakes; exits go on.
    pub paused: bool,
    /// The reserve stablecoin, its token program, value-anchor's anchor mint and the anchor
    /// mint's token program (copied from value-anchor's config at `initialize`).
    pub stable_mint: Pubkey,
    pub token_program: Pubkey,
    pub anchor_mint: Pubkey,
    pub anchor_token_program: Pubkey,
    /// The vaults (PDAs, owned by this config).
    pub stable_vault: Pubkey,
    pub insurance_vault: Pubkey,
    pub fee_vault: Pubkey,
    pub rewards_vault: Pubkey,
    pub anchor_vault: Pubkey,
    /// The protocol token (default until `create_protocol_token`), its treasury and stake vault.
    pub protocol_mint: Pubkey,
    pub treasury: Pubkey,
    pub stake_vault: Pubkey,
    pub params: ReserveParams,
    pub bump: u8,
    /// The key the admin role has been offered to (`propose_admin`) until it accepts
    /// (`accept_admin`); `Pubkey::default()` when no handover is pending.
    pub pending_admin: Pubkey,
}

impl ReserveConfig {
    /// Checks the bounds every stored config must satisfy; called after every change.
    pub fn invariant(&self) -> Result<()> {
        self.params.validate()?;
        require_keys_neq!(self.guardian, Pubkey::default(), ReserveError::InvalidGuardian);
        Ok(())
    }

    /// The config PDA's signer seeds.
    pub fn signer_seeds(&self) -> [&[u8]; 2] {
        [crate::seeds::CONFIG, core::slice::from_ref(&self.bump)]
    }
}
