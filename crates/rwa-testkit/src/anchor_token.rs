//! Instruction builders for the value-anchor program.
use value_anchor::{instruction, seeds, InitializeParams};

use crate::prelude::*;

pub fn config_pda() -> Pubkey {
    Pubkey::find_program_address(&[seeds::CONFIG], &value_anchor::ID).0
}

pub fn anchor_mint_pda() -> Pubkey {
    Pubkey::find_program_address(&[seeds::ANCHOR_MINT], &value_anchor::ID).0
}

/// `initialize` signed by `admin`, with `program_data` as the program's ProgramData account
/// (`program_data_address(&value_anchor::ID)` unless a test spoofs it), binding
/// `reserve_mint` and creating the anchor mint under `token_program`.
pub fn initialize_ix(
    admin: &Pubkey,
    program_data: &Pubkey,
    reserve_mint: &Pubkey,
    token_program: TokenProgram,
    params: InitializeParams,
) -> Instruction {
    anchor_ix(
        value_anchor::ID,
        value_anchor::accounts::Initialize {
            admin: *admin,
            program_data: *program_data,
            config: config_pda(),
            reserve_mint: *reserve_mint,
            anchor_mint: anchor_mint_pda(),
            token_program: token_program.id(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::Initialize { params },
    )
}

crate::authority::admin_instructions!(value_anchor);
