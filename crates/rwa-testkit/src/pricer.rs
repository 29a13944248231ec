//! Instruction builders for the dcf-pricer program.
use dcf_pricer::{instruction, seeds, InitializeParams};

use crate::prelude::*;

pub fn config_pda() -> Pubkey {
    Pubkey::find_program_address(&[seeds::CONFIG], &dcf_pricer::ID).0
}

/// `initialize` signed by `admin`, with `program_data` as the program's ProgramData account
/// (`program_data_address(&dcf_pricer::ID)` unless a test spoofs it).
pub fn initialize_ix(
    admin: &Pubkey,
    program_data: &Pubkey,
    params: InitializeParams,
) -> Instruction {
    anchor_ix(
        dcf_pricer::ID,
        dcf_pricer::accounts::Initialize {
            admin: *admin,
            program_data: *program_data,
            config: config_pda(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::Initialize { params },
    )
}

crate::authority::admin_instructions!(dcf_pricer);
