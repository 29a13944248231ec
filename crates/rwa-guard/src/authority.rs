//! Upgrade-authority gate for `initialize` and two-step admin handover.
//!
//! - `initialize` runs only when its signer is the program's upgrade authority, proven by the
//!   program's ProgramData account ([`check_upgrade_authority`]). Whoever deploys the program
//!   therefore picks its admin (and, where a program binds one, its reserve mint); an observer
//!   of the deployment transaction cannot get there first.
//! - The admin role changes hands in two steps, so that a mistyped key can never lock a program:
//!   the admin proposes ([`AdminRole::propose`]), the proposed key accepts
//!   ([`AdminRole::accept`]).
//!
//! Each program stores `admin` and `pending_admin` in its config and calls these pure
//! functions from its own `initialize`, `propose_admin`, `accept_admin` and `set_guardian`.
use anchor_lang::prelude::*;
use anchor_lang::solana_program::bpf_loader_upgradeable;

use crate::GuardError;

/// The address of `program_id`'s ProgramData account: the upgradeable loader's PDA of the
/// program id.
pub fn program_data_address(program_id: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[program_id.as_ref()], &bpf_loader_upgradeable::ID).0
}

/// The upgrade authority recorded in `program_id`'s ProgramData account, given that account's
/// `address`, `owner` and `data`.
///
/// Refuses with `InvalidProgramData` an account at another address (another program's
/// ProgramData included), not owned by the upgradeable loader, or not in the ProgramData
/// state; with `ProgramImmutable` a program whose upgrade authority was removed.
pub fn upgrade_authority(
    program_id: &Pubkey,
    address: &Pubkey,
    owner: &Pubkey,
    data: &[u8],
) -> Result<Pubkey> {
    require_keys_eq!(*address, program_data_address(program_id), GuardError::InvalidProgramData);
    require_keys_eq!(*owner, bpf_loader_upgradeable::ID, GuardError::InvalidProgramData);
    let program_data = ProgramData::try_deserialize(&mut &data[..])
        .map_err(|_| error!(GuardError::InvalidProgramData))?;
    program_data.upgrade_authority_address.ok_or_else(|| error!(GuardError::ProgramImmutable))
}

/// Refuses unless `signer` is the upgrade authority recorded in `program_data`, which must be
/// `program_id`'s ProgramData account (see [`upgrade_authority`]); `NotUpgradeAuthority`
/// otherwise. Every program's `initialize` runs this (its `validate`) before its handler
/// stores anything; a refusal reverts the whole transaction, accounts created included.
pub fn check_upgrade_authority(
    program_id: &Pubkey,
    program_data: &AccountInfo,
    signer: &Pubkey,
) -> Result<()> {
    let data = program_data.try_borrow_data()?;
    let authority = upgrade_authority(program_id, program_data.key, program_data.owner, &data)?;
    require_keys_eq!(authority, *signer, GuardError::NotUpgradeAuthority);
    Ok(())
}

/// Refuses (`NotAdmin`) a signer that is not `admin`.
pub fn require_admin(admin: &Pubkey, signer: &Pubkey) -> Result<()> {
    require_keys_eq!(*signer, *admin, GuardError::NotAdmin);
    Ok(())
}

/// A config's admin role: who holds it and who has been offered it (`Pubkey::default()`: no
/// one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AdminRole {
    pub admin: Pubkey,
    pub pending_admin: Pubkey,
}

impl AdminRole {
    /// The admin (`signer`) offers the role to `new_admin`, replacing any earlier offer;
    /// `Pubkey::default()` withdraws the offer. The admin keeps the role until it is accepted.
    pub fn propose(self, signer: &Pubkey, new_admin: Pubkey) -> Result<AdminRole> {
        require_admin(&self.admin, signer)?;
        Ok(AdminRole { admin: self.admin, pending_admin: new_admin })
    }

    /// The key the role was offered to (`signer`) takes it; the offer is cleared.
    pub fn accept(self, signer: &Pubkey) -> Result<AdminRole> {
        require_keys_neq!(self.pending_admin, Pubkey::default(), GuardError::NoPendingAdmin);
        require_keys_eq!(*signer, self.pending_admin, GuardError::NotPendingAdmin);
        Ok(AdminRole { admin: self.pending_admin, pending_admin: Pubkey::default() })
    }

    /// Whether an offer is open.
    pub fn is_pending(&self) -> bool {
        self.pending_admin != Pubkey::default()
    }
}

/// The three admin-role instructions every program has, over its config type `$config` (with
/// `admin`, `pending_admin`, `guardian`, `bump` and `invariant()`) at PDA `[$seed]`: the
/// Accounts structs `ProposeAdmin`, `AcceptAdmin`, `SetGuardian`, their events and the handlers
/// `handle_propose_admin`, `handle_accept_admin`, `handle_set_guardian`. Written once here so
/// that the five programs cannot drift apart; each program's `lib.rs` dispatches to them.
#[macro_export]
macro_rules! admin_handover {
    ($config:ident, $seed:expr) => {
        use anchor_lang::prelude::*;

        #[derive(Accounts)]
        pub struct ProposeAdmin<'info> {
            /// Must be the config's admin (`NotAdmin`).
            pub admin: Signer<'info>,
            #[account(mut, seeds = [$seed], bump = config.bump)]
            pub config: Account<'info, $config>,
        }

        #[derive(Accounts)]
        pub struct AcceptAdmin<'info> {
            /// Must be the config's pending admin (`NotPendingAdmin`; `NoPendingAdmin` if none).
            pub pending_admin: Signer<'info>,
            #[account(mut, seeds = [$seed], bump = config.bump)]
            pub config: Account<'info, $config>,
        }

        #[derive(Accounts)]
        pub struct SetGuardian<'info> {
            /// Must be the config's admin (`NotAdmin`).
            pub admin: Signer<'info>,
            #[account(mut, seeds = [$seed], bump = config.bump)]
            pub config: Account<'info, $config>,
        }

        /// The admin offered its role to `pending_admin`; `Pubkey::default()` withdrew the
        /// offer.
        #[event]
        pub struct AdminProposed {
            pub admin: Pubkey,
            pub pending_admin: Pubkey,
        }

        /// The admin role passed from `previous_admin` to `admin`.
        #[event]
        pub struct AdminAccepted {
            pub previous_admin: Pubkey,
            pub admin: Pubkey,
        }

        #[event]
        pub struct GuardianChanged {
            pub previous_guardian: Pubkey,
            pub guardian: Pubkey,
        }

        /// The admin offers its role to `new_admin` (first step of the handover).
        pub fn handle_propose_admin(ctx: Context<ProposeAdmin>, new_admin: Pubkey) -> Result<()> {
            let config = &mut ctx.accounts.config;
            let role = $crate::authority::AdminRole {
                admin: config.admin,
                pending_admin: config.pending_admin,
            }
            .propose(ctx.accounts.admin.key, new_admin)?;
            config.pending_admin = role.pending_admin;
            config.invariant()?;
            emit!(AdminProposed { admin: config.admin, pending_admin: config.pending_admin });
            Ok(())
        }

        /// The proposed admin takes the role (second step); the offer is cleared.
        pub fn handle_accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
            let config = &mut ctx.accounts.config;
            let previous_admin = config.admin;
            let role = $crate::authority::AdminRole {
                admin: config.admin,
                pending_admin: config.pending_admin,
            }
            .accept(ctx.accounts.pending_admin.key)?;
            config.admin = role.admin;
            config.pending_admin = role.pending_admin;
            config.invariant()?;
            emit!(AdminAccepted { previous_admin, admin: config.admin });
            Ok(())
        }

        /// The admin replaces the guardian; the config's `invariant()` refuses the default
        /// pubkey (`InvalidGuardian`).
        pub fn handle_set_guardian(ctx: Context<SetGuardian>, guardian: Pubkey) -> Result<()> {
            let config = &mut ctx.accounts.config;
            $crate::authority::require_admin(&config.admin, ctx.accounts.admin.key)?;
            let previous_guardian = config.guardian;
            config.guardian = guardian;
            config.invariant()?;
            emit!(GuardianChanged { previous_guardian, guardian });
            Ok(())
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ProgramData as the upgradeable loader lays it out: state tag 3 (u32 LE), slot (u64 LE),
    /// `Option<Pubkey>` (tag byte, then the key, zeros when `None`), then the program's ELF.
    fn program_data_bytes(authority: Option<Pubkey>) -> Vec<u8> {
        let mut data = vec![3, 0, 0, 0];
        data.extend_from_slice(&42u64.to_le_bytes());
        data.push(authority.is_some() as u8);
        data.extend_from_slice(authority.unwrap_or_default().as_ref());
        data.extend_from_slice(b"\x7fELF...");
        data
    }

    fn err(e: GuardError) -> anchor_lang::error::Error {
        e.into()
    }

    #[test]
    fn the_upgrade_authority_is_read_from_the_programs_own_program_data() {
        let program = Pubkey::new_unique();
        let authority = Pubkey::new_unique();
        let address = program_data_address(&program);
        let data = program_data_bytes(Some(authority));
        let loader = bpf_loader_upgradeable::ID;
        assert_eq!(upgrade_authority(&program, &address, &loader, &data), Ok(authority));
    }

    #[test]
    fn program_data_at_another_address_of_another_owner_or_layout_is_refused() {
        let program = Pubkey::new_unique();
        let address = program_data_address(&program);
        let data = program_data_bytes(Some(Pubkey::new_unique()));
        let loader = bpf_loader_upgradeable::ID;
        let other = program_data_address(&Pubkey::new_unique());
        let refused = || Err(err(GuardError::InvalidProgramData));
        assert_eq!(upgrade_authority(&program, &other, &loader, &data), refused());
        let system = anchor_lang::system_program::ID;
        assert_eq!(upgrade_authority(&program, &address, &system, &data), refused());
        assert_eq!(upgrade_authority(&program, &address, &loader, &[]), refused());
        let mut buffer = data.clone();
        buffer[0] = 1; // UpgradeableLoaderState::Buffer
        assert_eq!(upgrade_authority(&program, &address, &loader, &buffer), refused());
    }

    #[test]
    fn an_immutable_program_has_no_upgrade_authority() {
        let program = Pubkey::new_unique();
        let address = program_data_address(&program);
        let data = program_data_bytes(None);
        let loader = bpf_loader_upgradeable::ID;
        assert_eq!(
            upgrade_authority(&program, &address, &loader, &data),
            Err(err(GuardError::ProgramImmutable))
        );
    }

    #[test]
    fn the_admin_role_changes_hands_only_when_the_proposed_key_accepts() {
        let (admin, next, intruder) =
            (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
        let role = AdminRole { admin, pending_admin: Pubkey::default() };
        assert_eq!(role.accept(&next), Err(err(GuardError::NoPendingAdmin)));
        assert_eq!(role.propose(&intruder, next), Err(err(GuardError::NotAdmin)));

        let offered = role.propose(&admin, next).expect("the admin proposes");
        assert_eq!(offered, AdminRole { admin, pending_admin: next });
        assert!(offered.is_pending());
        assert_eq!(offered.accept(&intruder), Err(err(GuardError::NotPendingAdmin)));
        assert_eq!(offered.accept(&admin), Err(err(GuardError::NotPendingAdmin)));
        let withdrawn = offered.propose(&admin, Pubkey::default()).expect("the admin cancels");
        assert_eq!(withdrawn, role);
        assert_eq!(withdrawn.accept(&next), Err(err(GuardError::NoPendingAdmin)));

        let handed = offered.accept(&next).expect("the proposed key accepts");
        assert_eq!(handed, AdminRole { admin: next, pending_admin: Pubkey::default() });
        assert_eq!(handed.propose(&admin, admin), Err(err(GuardError::NotAdmin)));
        assert_eq!(require_admin(&handed.admin, &admin), Err(err(GuardError::NotAdmin)));
        assert_eq!(require_admin(&handed.admin, &next), Ok(()));
    }
}
