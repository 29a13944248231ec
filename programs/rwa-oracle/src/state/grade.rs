use anchor_lang::prelude::*;
use rwa_math::{valuation::validate_write_down, Fixed, WriteDownStep, MAX_WRITE_DOWN_STEPS};

use crate::errors::OracleError;

/// One overdue write-down step as stored: from `days_late` on, write down `fraction` (Fixed raw).
#[derive(
    AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, Default, PartialEq, Eq,
)]
pub struct WriteDownStepRaw {
    pub days_late: u32,
    pub fraction: u128,
}

/// A risk grade (grades are data: any index the admin defines, with a label). Binds the
/// grade's spread, PD and LGD feeds and holds its overdue write-down schedule.
/// PDA: `[seeds::GRADE, grade]`.
#[account]
#[derive(InitSpace)]
pub struct GradeRisk {
    pub grade: u8,
    /// Human label, e.g. "A", "BB+", zero-padded.
    pub label: [u8; 8],
    pub spread_feed: Pubkey,
    pub pd_feed: Pubkey,
    pub lgd_feed: Pubkey,
    pub write_down: [WriteDownStepRaw; MAX_WRITE_DOWN_STEPS],
    pub write_down_len: u8,
    pub bump: u8,
}

impl GradeRisk {
    /// The write-down schedule in rwa-math's form, and how many steps are used.
    pub fn write_down_steps(&self) -> ([WriteDownStep; MAX_WRITE_DOWN_STEPS], usize) {
        let mut steps =
            [WriteDownStep { days_late: 0, fraction: Fixed::ZERO }; MAX_WRITE_DOWN_STEPS];
        for (out, raw) in steps.iter_mut().zip(self.write_down.iter()) {
            *out =
                WriteDownStep { days_late: raw.days_late, fraction: Fixed::from_raw(raw.fraction) };
        }
        (steps, (self.write_down_len as usize).min(MAX_WRITE_DOWN_STEPS))
    }

    /// Stores `steps` (at most `MAX_WRITE_DOWN_STEPS`, validated by `invariant`).
    pub fn set_write_down(&mut self, steps: &[WriteDownStepRaw]) -> Result<()> {
        require!(steps.len() <= MAX_WRITE_DOWN_STEPS, OracleError::InvalidWriteDown);
        self.write_down = [WriteDownStepRaw::default(); MAX_WRITE_DOWN_STEPS];
        self.write_down[..steps.len()].copy_from_slice(steps);
        self.write_down_len = steps.len() as u8;
        Ok(())
    }

    /// Checks the bounds every stored grade must satisfy; called after every change.
    pub fn invariant(&self) -> Result<()> {
        let (steps, len) = self.write_down_steps();
        require!(
            self.write_down_len as usize <= MAX_WRITE_DOWN_STEPS
                && validate_write_down(&steps[..len]).is_ok(),
            OracleError::InvalidWriteDown
        );
        Ok(())
    }
}
