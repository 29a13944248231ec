//! Generic bodies of the authority tests, the same for every program `P`: only the program's
//! upgrade authority initialises it; the admin role changes hands in two steps
//! (`propose_admin`, `accept_admin`); the admin rotates the guardian (`set_guardian`). Every
//! refusal is asserted by name and leaves the config as it was.
use anchor_lang::error::ErrorCode;
use rwa_guard::GuardError;
use rwa_testkit::{authority::*, prelude::*};

const LAMPORTS: u64 = 1_000_000_000;

/// A started bank before `P` is initialised: `authority` is funded (it is not yet anyone's
/// upgrade authority) and `reserve_mint` is a 6-decimal SPL Token mint.
struct Fresh {
    env: TestEnv,
    authority: Keypair,
    reserve_mint: Pubkey,
}

async fn fresh<P: Administered>() -> Fresh {
    let mut env = TestEnv::start().await;
    let authority = env.funded_keypair(10 * LAMPORTS).await;
    let payer = env.payer().pubkey();
    let reserve_mint = env.create_mint(TokenProgram::Classic, 6, &payer).await;
    if P::NEEDS_VALUE_ANCHOR {
        let deployer = env.funded_upgrade_authority(&ValueAnchor::ID).await;
        let program_data = program_data_address(&ValueAnchor::ID);
        let guardian = Pubkey::new_unique();
        let ix =
            ValueAnchor::initialize_ix(&deployer.pubkey(), &program_data, guardian, &reserve_mint);
        env.send_ok(&[ix], &[&deployer]).await;
    }
    Fresh { env, authority, reserve_mint }
}

impl Fresh {
    /// `P`'s `initialize` signed by `signer` with `program_data`, guardian a fresh key.
    fn initialize_ix<P: Administered>(
        &self,
        signer: &Keypair,
        program_data: &Pubkey,
    ) -> Instruction {
        P::initialize_ix(&signer.pubkey(), program_data, Pubkey::new_unique(), &self.reserve_mint)
    }

    /// Sends `P`'s `initialize` with `program_data`, signed by `signer`, expecting `error`;
    /// then checks that no config was created.
    async fn initialize_refused<P: Administered>(
        &mut self,
        signer: &Keypair,
        program_data: &Pubkey,
        error: GuardError,
    ) {
        let ix = self.initialize_ix::<P>(signer, program_data);
        self.env.send_expect_error(&[ix], &[signer], error).await;
        assert!(
            self.env.account(P::config_pda()).await.is_none(),
            "a refused initialize leaves no config"
        );
    }
}

/// `P` initialised by its upgrade authority `admin`, with `guardian` and a funded `candidate`
/// for the admin role.
struct Initialised {
    env: TestEnv,
    admin: Keypair,
    guardian: Keypair,
    candidate: Keypair,
}

async fn initialised<P: Administered>() -> Initialised {
    let Fresh { mut env, authority: admin, reserve_mint } = fresh::<P>().await;
    let guardian = env.funded_keypair(LAMPORTS).await;
    let candidate = env.funded_keypair(10 * LAMPORTS).await;
    env.set_upgrade_authority(&P::ID, &admin.pubkey());
    let program_data = program_data_address(&P::ID);
    let ix = P::initialize_ix(&admin.pubkey(), &program_data, guardian.pubkey(), &reserve_mint);
    env.send_ok(&[ix], &[&admin]).await;
    Initialised { env, admin, guardian, candidate }
}

impl Initialised {
    async fn roles<P: Administered>(&mut self) -> Roles {
        let config = self.env.account(P::config_pda()).await.expect("config exists");
        P::roles(&config.data)
    }

    fn initial_roles(&self) -> Roles {
        Roles {
            admin: self.admin.pubkey(),
            pending_admin: Pubkey::default(),
            guardian: self.guardian.pubkey(),
        }
    }

    async fn propose<P: Administered>(&mut self, new_admin: Pubkey) {
        let admin = self.admin.insecure_clone();
        self.env.send_ok(&[P::propose_admin_ix(&admin.pubkey(), new_admin)], &[&admin]).await;
    }

    async fn accept<P: Administered>(&mut self, signer: &Keypair) {
        self.env.send_ok(&[P::accept_admin_ix(&signer.pubkey())], &[signer]).await;
    }

    /// Sends `ix` signed by `signer` expecting `error`, and checks that the roles are as they
    /// were.
    async fn refused<P: Administered>(
        &mut self,
        ix: Instruction,
        signer: &Keypair,
        error: impl Into<anchor_lang::error::Error>,
    ) {
        let before = self.roles::<P>().await;
        // every refusal here is raised by program P itself, in its own frame
        self.env.send_expect_error_from(&[ix], &[signer], 0, P::ID, error).await;
        assert_eq!(self.roles::<P>().await, before, "a refused instruction changes no role");
    }
}

// ---------------------------------------------------------------------------------- initialize

pub async fn initialize_by_the_upgrade_authority_makes_it_admin_with_nothing_pending<
    P: Administered,
>() {
    let mut t = initialised::<P>().await;
    assert_eq!(t.roles::<P>().await, t.initial_roles());
}

pub async fn initialize_refuses_a_signer_that_is_not_the_upgrade_authority<P: Administered>() {
    let mut f = fresh::<P>().await;
    let authority = f.authority.insecure_clone();
    f.env.set_upgrade_authority(&P::ID, &authority.pubkey());
    let intruder = f.env.funded_keypair(10 * LAMPORTS).await;
    let program_data = program_data_address(&P::ID);
    f.initialize_refused::<P>(&intruder, &program_data, GuardError::NotUpgradeAuthority).await;

    // The upgrade authority still can.
    let ix = f.initialize_ix::<P>(&authority, &program_data);
    f.env.send_ok(&[ix], &[&authority]).await;
}

pub async fn initialize_refuses_the_program_data_of_another_program<P: Administered>() {
    let mut f = fresh::<P>().await;
    let authority = f.authority.pubkey();
    f.env.set_upgrade_authority(&P::ID, &authority);
    let intruder = f.env.funded_keypair(10 * LAMPORTS).await;
    // The intruder's own program, which it may upgrade.
    let own_program = Pubkey::new_unique();
    f.env.set_upgrade_authority(&own_program, &intruder.pubkey());
    let own_program_data = program_data_address(&own_program);
    f.initialize_refused::<P>(&intruder, &own_program_data, GuardError::InvalidProgramData).await;
    // A loader-owned ProgramData naming the intruder, at an address that is no program's.
    let forged = Pubkey::new_unique();
    f.env.set_account(forged, program_data_account(Some(intruder.pubkey())));
    f.initialize_refused::<P>(&intruder, &forged, GuardError::InvalidProgramData).await;
}

pub async fn initialize_refuses_a_program_data_account_the_loader_did_not_write<P: Administered>() {
    let mut f = fresh::<P>().await;
    let authority = f.authority.insecure_clone();
    let program_data = program_data_address(&P::ID);
    // Nothing at the address (a native builtin's, or a program deployed non-upgradeable).
    f.initialize_refused::<P>(&authority, &program_data, GuardError::InvalidProgramData).await;
    // The ProgramData bytes naming the signer, owned by another program.
    let mut spoofed = program_data_account(Some(authority.pubkey()));
    for owner in [anchor_lang::system_program::ID, P::ID] {
        spoofed.owner = owner;
        f.env.set_account(program_data, spoofed.clone());
        f.initialize_refused::<P>(&authority, &program_data, GuardError::InvalidProgramData).await;
    }
    // Owned by the loader, but a Buffer (state 1), not ProgramData.
    let mut buffer = program_data_account(Some(authority.pubkey()));
    buffer.data[0] = 1;
    f.env.set_account(program_data, buffer);
    f.initialize_refused::<P>(&authority, &program_data, GuardError::InvalidProgramData).await;
}

pub async fn initialize_refuses_an_immutable_program<P: Administered>() {
    let mut f = fresh::<P>().await;
    let signer = f.authority.insecure_clone();
    f.env.set_program_data(&P::ID, None);
    let program_data = program_data_address(&P::ID);
    f.initialize_refused::<P>(&signer, &program_data, GuardError::ProgramImmutable).await;
}

// ------------------------------------------------------------------------------- propose_admin

pub async fn propose_admin_offers_the_role_and_the_admin_keeps_it<P: Administered>() {
    let mut t = initialised::<P>().await;
    let candidate = t.candidate.pubkey();
    t.propose::<P>(candidate).await;
    let offered = Roles { pending_admin: candidate, ..t.initial_roles() };
    assert_eq!(t.roles::<P>().await, offered);

    // Until the candidate accepts, the admin still rules and the candidate does not.
    let new_guardian = Pubkey::new_unique();
    let admin = t.admin.insecure_clone();
    t.env.send_ok(&[P::set_guardian_ix(&admin.pubkey(), new_guardian)], &[&admin]).await;
    let candidate = t.candidate.insecure_clone();
    let ix = P::set_guardian_ix(&candidate.pubkey(), Pubkey::new_unique());
    t.refused::<P>(ix, &candidate, GuardError::NotAdmin).await;
    assert_eq!(t.roles::<P>().await, Roles { guardian: new_guardian, ..offered });
}

pub async fn propose_admin_by_anyone_but_the_admin_is_refused<P: Administered>() {
    let mut t = initialised::<P>().await;
    let outsider = t.env.funded_keypair(LAMPORTS).await;
    for signer in [t.guardian.insecure_clone(), t.candidate.insecure_clone(), outsider] {
        let ix = P::propose_admin_ix(&signer.pubkey(), signer.pubkey());
        t.refused::<P>(ix, &signer, GuardError::NotAdmin).await;
    }
    assert_eq!(t.roles::<P>().await, t.initial_roles());
}

pub async fn proposing_the_default_pubkey_withdraws_the_offer<P: Administered>() {
    let mut t = initialised::<P>().await;
    t.propose::<P>(t.candidate.pubkey()).await;
    t.propose::<P>(Pubkey::default()).await;
    assert_eq!(t.roles::<P>().await, t.initial_roles());
    let candidate = t.candidate.insecure_clone();
    let ix = P::accept_admin_ix(&candidate.pubkey());
    t.refused::<P>(ix, &candidate, GuardError::NoPendingAdmin).await;
}

pub async fn a_new_proposal_replaces_the_earlier_one<P: Administered>() {
    let mut t = initialised::<P>().await;
    let second = t.env.funded_keypair(LAMPORTS).await;
    t.propose::<P>(t.candidate.pubkey()).await;
    t.propose::<P>(second.pubkey()).await;
    let candidate = t.candidate.insecure_clone();
    let ix = P::accept_admin_ix(&candidate.pubkey());
    t.refused::<P>(ix, &candidate, GuardError::NotPendingAdmin).await;
    t.accept::<P>(&second).await;
    assert_eq!(t.roles::<P>().await, Roles { admin: second.pubkey(), ..t.initial_roles() });
}

// -------------------------------------------------------------------------------- accept_admin

pub async fn accept_admin_hands_the_role_to_the_proposed_key<P: Administered>() {
    let mut t = initialised::<P>().await;
    t.propose::<P>(t.candidate.pubkey()).await;
    let candidate = t.candidate.insecure_clone();
    t.accept::<P>(&candidate).await;
    let handed = Roles { admin: candidate.pubkey(), ..t.initial_roles() };
    assert_eq!(t.roles::<P>().await, handed, "admin := pending; pending cleared");
}

pub async fn accept_admin_by_anyone_but_the_proposed_key_is_refused<P: Administered>() {
    let mut t = initialised::<P>().await;
    t.propose::<P>(t.candidate.pubkey()).await;
    let outsider = t.env.funded_keypair(LAMPORTS).await;
    for signer in [t.admin.insecure_clone(), t.guardian.insecure_clone(), outsider] {
        let ix = P::accept_admin_ix(&signer.pubkey());
        t.refused::<P>(ix, &signer, GuardError::NotPendingAdmin).await;
    }
    let offered = Roles { pending_admin: t.candidate.pubkey(), ..t.initial_roles() };
    assert_eq!(t.roles::<P>().await, offered);
}

pub async fn accept_admin_with_nothing_pending_is_refused<P: Administered>() {
    let mut t = initialised::<P>().await;
    let candidate = t.candidate.insecure_clone();
    let ix = P::accept_admin_ix(&candidate.pubkey());
    t.refused::<P>(ix.clone(), &candidate, GuardError::NoPendingAdmin).await;
    // Nor a second time, once the handover is done.
    t.propose::<P>(candidate.pubkey()).await;
    t.accept::<P>(&candidate).await;
    t.refused::<P>(ix, &candidate, GuardError::NoPendingAdmin).await;
}

pub async fn the_former_admin_loses_every_power_after_accept<P: Administered>() {
    let mut t = initialised::<P>().await;
    t.propose::<P>(t.candidate.pubkey()).await;
    let (old, new) = (t.admin.insecure_clone(), t.candidate.insecure_clone());
    t.accept::<P>(&new).await;

    let ix = P::propose_admin_ix(&old.pubkey(), old.pubkey());
    t.refused::<P>(ix, &old, GuardError::NotAdmin).await;
    let ix = P::set_guardian_ix(&old.pubkey(), old.pubkey());
    t.refused::<P>(ix, &old, GuardError::NotAdmin).await;
    if let Some(ix) = P::other_admin_ix(&old.pubkey()) {
        t.refused::<P>(ix, &old, ErrorCode::ConstraintHasOne).await;
    }

    // The new admin holds every power.
    if let Some(ix) = P::other_admin_ix(&new.pubkey()) {
        t.env.send_ok(&[ix], &[&new]).await;
    }
    let guardian = Pubkey::new_unique();
    t.env.send_ok(&[P::set_guardian_ix(&new.pubkey(), guardian)], &[&new]).await;
    t.env.send_ok(&[P::propose_admin_ix(&new.pubkey(), old.pubkey())], &[&new]).await;
    let expected = Roles { admin: new.pubkey(), pending_admin: old.pubkey(), guardian };
    assert_eq!(t.roles::<P>().await, expected);
}

// -------------------------------------------------------------------------------- set_guardian

pub async fn set_guardian_replaces_the_guardian<P: Administered>() {
    let mut t = initialised::<P>().await;
    let guardian = Pubkey::new_unique();
    let admin = t.admin.insecure_clone();
    t.env.send_ok(&[P::set_guardian_ix(&admin.pubkey(), guardian)], &[&admin]).await;
    assert_eq!(t.roles::<P>().await, Roles { guardian, ..t.initial_roles() });
}

pub async fn set_guardian_by_anyone_but_the_admin_is_refused<P: Administered>() {
    let mut t = initialised::<P>().await;
    // The guardian cannot rotate itself, nor can a proposed admin that has not accepted.
    t.propose::<P>(t.candidate.pubkey()).await;
    for signer in [t.guardian.insecure_clone(), t.candidate.insecure_clone()] {
        let ix = P::set_guardian_ix(&signer.pubkey(), signer.pubkey());
        t.refused::<P>(ix, &signer, GuardError::NotAdmin).await;
    }
}

pub async fn set_guardian_refuses_the_default_pubkey<P: Administered>() {
    let mut t = initialised::<P>().await;
    let admin = t.admin.insecure_clone();
    let ix = P::set_guardian_ix(&admin.pubkey(), Pubkey::default());
    t.refused::<P>(ix, &admin, P::invalid_guardian()).await;
    assert_eq!(t.roles::<P>().await, t.initial_roles());
}
