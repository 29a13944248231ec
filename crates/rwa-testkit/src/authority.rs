//! Upgrade authority and admin handover in tests.
//!
//! Every program's `initialize` checks that its signer is the upgrade authority recorded in the
//! program's ProgramData account. Programs registered natively (or, with `SBF_OUT_DIR`, loaded
//! under the non-upgradeable loader by program-test) have no such account, so
//! [`TestEnv::set_upgrade_authority`] writes one, as the upgradeable loader would, at the
//! address the check derives: the same check then runs in tests as on a real cluster. Every
//! fixture that initialises a program calls it first.
//!
//! [`Administered`] describes each program to the generic handover tests, implemented by the
//! markers [`RwaOracle`], [`Receivables`], [`DcfPricer`], [`ValueAnchor`] and
//! [`BuybackReserve`].
use anchor_lang::AccountDeserialize;
use solana_sdk::account::Account;

use crate::prelude::*;

pub use rwa_guard::authority::program_data_address;

/// Length of a ProgramData account's header (`UpgradeableLoaderState::ProgramData`).
pub const PROGRAM_DATA_HEADER_LEN: usize = 45;

/// The header of a ProgramData account as the upgradeable loader writes it (bincode of
/// `UpgradeableLoaderState::ProgramData { slot, upgrade_authority_address }`): state tag 3
/// (u32 LE), the deployment slot (u64 LE), then the authority as an `Option<Pubkey>` (tag
/// byte, then the key; zeros when `None`, as after `solana program set-upgrade-authority
/// --final`).
pub fn program_data_bytes(slot: u64, upgrade_authority: Option<Pubkey>) -> Vec<u8> {
    let mut data = Vec::with_capacity(PROGRAM_DATA_HEADER_LEN);
    data.extend_from_slice(&3u32.to_le_bytes());
    data.extend_from_slice(&slot.to_le_bytes());
    data.push(u8::from(upgrade_authority.is_some()));
    data.extend_from_slice(upgrade_authority.unwrap_or_default().as_ref());
    data
}

/// A ProgramData account (header only: the programs under test run natively or from the
/// non-upgradeable loader, so no ELF follows), owned by the upgradeable loader.
pub fn program_data_account(upgrade_authority: Option<Pubkey>) -> Account {
    let data = program_data_bytes(0, upgrade_authority);
    Account {
        lamports: TestEnv::rent_exempt(data.len()),
        data,
        owner: anchor_lang::solana_program::bpf_loader_upgradeable::ID,
        executable: false,
        rent_epoch: 0,
    }
}

impl TestEnv {
    /// Makes `authority` the upgrade authority of `program_id`: writes the program's
    /// ProgramData account at [`program_data_address`], as `anchor deploy` leaves it on a
    /// cluster. Call before the program's `initialize`.
    pub fn set_upgrade_authority(&mut self, program_id: &Pubkey, authority: &Pubkey) {
        self.set_program_data(program_id, Some(*authority));
    }

    /// A fresh keypair holding 10 SOL, made the upgrade authority of `program_id`.
    pub async fn funded_upgrade_authority(&mut self, program_id: &Pubkey) -> Keypair {
        let authority = self.funded_keypair(10_000_000_000).await;
        self.set_upgrade_authority(program_id, &authority.pubkey());
        authority
    }

    /// Writes `program_id`'s ProgramData account with `upgrade_authority`; `None` leaves the
    /// program immutable (no upgrade authority).
    pub fn set_program_data(&mut self, program_id: &Pubkey, upgrade_authority: Option<Pubkey>) {
        let account = program_data_account(upgrade_authority);
        self.set_account(program_data_address(program_id), account);
    }
}

/// Who holds each role of a program's config.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Roles {
    pub admin: Pubkey,
    pub pending_admin: Pubkey,
    pub guardian: Pubkey,
}

/// What the generic authority tests need of a program: its initialisation and handover
/// instructions and its config's roles.
pub trait Administered {
    /// The program id.
    const ID: Pubkey;
    /// The program's error for a default-pubkey guardian.
    fn invalid_guardian() -> anchor_lang::error::Error;
    /// The config PDA.
    fn config_pda() -> Pubkey;
    /// `initialize` with valid parameters, `guardian` and the given ProgramData account.
    /// `reserve_mint` (a 6-decimal classic SPL Token mint) is bound by the programs that need
    /// one and ignored by the others.
    fn initialize_ix(
        admin: &Pubkey,
        program_data: &Pubkey,
        guardian: Pubkey,
        reserve_mint: &Pubkey,
    ) -> Instruction;
    /// The roles stored in the config account's data.
    fn roles(config_data: &[u8]) -> Roles;
    fn propose_admin_ix(admin: &Pubkey, new_admin: Pubkey) -> Instruction;
    fn accept_admin_ix(pending_admin: &Pubkey) -> Instruction;
    fn set_guardian_ix(admin: &Pubkey, guardian: Pubkey) -> Instruction;
    /// Another admin-only instruction of the program (checked by `has_one = admin`), for
    /// showing that a former admin has lost its power; `None` where there is none yet.
    fn other_admin_ix(admin: &Pubkey) -> Option<Instruction>;
    /// Whether the program binds value-anchor's config at `initialize` (the buyback reserve):
    /// the generic tests then initialise value-anchor first, on the same reserve mint, with
    /// another deployer.
    const NEEDS_VALUE_ANCHOR: bool = false;
}

/// Implements [`Administered`] for the marker `$marker` of `$program`, whose builders live in
/// the testkit module `$module`; the program-specific `initialize` and other admin-only
/// instruction are given as closure-like bodies.
macro_rules! administered {
    (
        $marker:ident: $program:ident in $module:ident, config $config:ty,
        invalid guardian $error:expr,
        initialize |$admin:ident, $program_data:ident, $guardian:ident, $mint:ident| $init:expr,
        other admin instruction |$other_admin:ident| $other:expr
        $(, needs value_anchor $needs:expr)? $(,)?
    ) => {
        #[doc = concat!("`", stringify!($program), "`, for the generic authority tests.")]
        pub struct $marker;

        impl Administered for $marker {
            const ID: Pubkey = $program::ID;
            fn invalid_guardian() -> anchor_lang::error::Error {
                $error.into()
            }
            fn config_pda() -> Pubkey {
                crate::$module::config_pda()
            }
            fn initialize_ix(
                $admin: &Pubkey,
                $program_data: &Pubkey,
                $guardian: Pubkey,
                $mint: &Pubkey,
            ) -> Instruction {
                $init
            }
            fn roles(config_data: &[u8]) -> Roles {
                let c = <$config>::try_deserialize(&mut &config_data[..]).expect("config");
                Roles { admin: c.admin, pending_admin: c.pending_admin, guardian: c.guardian }
            }
            fn propose_admin_ix(admin: &Pubkey, new_admin: Pubkey) -> Instruction {
                crate::$module::propose_admin_ix(admin, new_admin)
            }
            fn accept_admin_ix(pending_admin: &Pubkey) -> Instruction {
                crate::$module::accept_admin_ix(pending_admin)
            }
            fn set_guardian_ix(admin: &Pubkey, guardian: Pubkey) -> Instruction {
                crate::$module::set_guardian_ix(admin, guardian)
            }
            fn other_admin_ix($other_admin: &Pubkey) -> Option<Instruction> {
                $other
            }
            $(const NEEDS_VALUE_ANCHOR: bool = $needs;)?
        }
    };
}

administered! {
    RwaOracle: rwa_oracle in oracle, config rwa_oracle::state::OracleConfig,
    invalid guardian rwa_oracle::errors::OracleError::InvalidGuardian,
    initialize |admin, program_data, guardian, _reserve_mint| {
        let params =
            rwa_oracle::InitializeParams { guardian, max_staleness_secs: 600, min_publishers: 3 };
        crate::oracle::initialize_ix(admin, program_data, params)
    },
    other admin instruction |admin| {
        let params = crate::oracle::rate_params(rwa_oracle::state::FeedKind::BenchmarkRate);
        Some(crate::oracle::create_feed_ix(admin, [9; 32], params))
    },
}

administered! {
    Receivables: receivables in registry, config receivables::state::RegistryConfig,
    invalid guardian receivables::errors::ReceivablesError::InvalidGuardian,
    initialize |admin, program_data, guardian, _reserve_mint| {
        crate::registry::initialize_ix(admin, program_data, guardian)
    },
    other admin instruction |admin| {
        Some(crate::registry::approve_servicer_ix(admin, &Pubkey::new_unique()))
    },
}

administered! {
    DcfPricer: dcf_pricer in pricer, config dcf_pricer::state::PricerConfig,
    invalid guardian dcf_pricer::errors::PricerError::InvalidGuardian,
    initialize |admin, program_data, guardian, _reserve_mint| {
        let params = dcf_pricer::InitializeParams { guardian, max_rate_age_secs: 900 };
        crate::pricer::initialize_ix(admin, program_data, params)
    },
    other admin instruction |_admin| None,
}

administered! {
    ValueAnchor: value_anchor in anchor_token, config value_anchor::state::AnchorConfig,
    invalid guardian value_anchor::errors::AnchorTokenError::InvalidGuardian,
    initialize |admin, program_data, guardian, reserve_mint| {
        let t22 = crate::token::TokenProgram::Token2022;
        let params = crate::anchor_token::init_params(guardian, t22);
        let program = crate::token::TokenProgram::Classic;
        crate::anchor_token::initialize_ix(admin, program_data, reserve_mint, program, t22, params)
    },
    other admin instruction |_admin| None,
}

administered! {
    BuybackReserve: buyback_reserve in reserve, config buyback_reserve::state::ReserveConfig,
    invalid guardian buyback_reserve::errors::ReserveError::InvalidGuardian,
    initialize |admin, program_data, guardian, stable_mint| {
        let params = buyback_reserve::InitializeParams { guardian, params: crate::reserve::PARAMS };
        crate::reserve::initialize_ix(admin, program_data, stable_mint, params)
    },
    other admin instruction |admin| {
        Some(crate::reserve::set_params_ix(admin, crate::reserve::PARAMS))
    },
    needs value_anchor true,
}

administered! {
    TransferHook: transfer_hook in transfer_hook, config transfer_hook::state::HookConfig,
    invalid guardian transfer_hook::errors::HookError::InvalidGuardian,
    initialize |admin, program_data, guardian, _reserve_mint| {
        crate::transfer_hook::initialize_ix(admin, program_data, guardian)
    },
    other admin instruction |admin| {
        Some(crate::transfer_hook::approve_attestor_ix(admin, &Pubkey::new_unique()))
    },
}
