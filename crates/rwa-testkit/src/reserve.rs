//! Instruction builders for the buyback-reserve program.
use buyback_reserve::{instruction, seeds, InitializeParams};

use crate::prelude::*;

pub fn config_pda() -> Pubkey {
    Pubkey::find_program_address(&[seeds::CONFIG], &buyback_reserve::ID).0
}

pub fn stable_vault_pda() -> Pubkey {
    Pubkey::find_program_address(&[seeds::STABLE_VAULT], &buyback_reserve::ID).0
}

/// `initialize` signed by `admin`, with `program_data` as the program's ProgramData account
/// (`program_data_address(&buyback_reserve::ID)` unless a test spoofs it), binding
/// `stable_mint` and creating the stable vault under `token_program`.
pub fn initialize_ix(
    admin: &Pubkey,
    program_data: &Pubkey,
    stable_mint: &Pubkey,
    token_program: TokenProgram,
    params: InitializeParams,
) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::Initialize {
            admin: *admin,
            program_data: *program_data,
            config: config_pda(),
            stable_mint: *stable_mint,
            stable_vault: stable_vault_pda(),
            token_program: token_program.id(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::Initialize { params },
    )
}

crate::authority::admin_instructions!(buyback_reserve);
