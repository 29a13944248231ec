//! Generic bodies of the authority tests, the same for every program `P`: only the program's
//! upgrade authority initialises it. Every refusal is asserted by name and leaves no config.
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

async fn fresh() -> Fresh {
    let mut env = TestEnv::start().await;
    let authority = env.funded_keypair(10 * LAMPORTS).await;
    let payer = env.payer().pubkey();
    let reserve_mint = env.create_mint(TokenProgram::Classic, 6, &payer).await;
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

/// `P` initialised by its upgrade authority `admin`, with `guardian`.
struct Initialised {
    env: TestEnv,
    admin: Keypair,
    guardian: Keypair,
}

async fn initialised<P: Administered>() -> Initialised {
    let Fresh { mut env, authority: admin, reserve_mint } = fresh().await;
    let guardian = env.funded_keypair(LAMPORTS).await;
    env.set_upgrade_authority(&P::ID, &admin.pubkey());
    let program_data = program_data_address(&P::ID);
    let ix = P::initialize_ix(&admin.pubkey(), &program_data, guardian.pubkey(), &reserve_mint);
    env.send_ok(&[ix], &[&admin]).await;
    Initialised { env, admin, guardian }
}

// ---------------------------------------------------------------------------------- initialize

pub async fn initialize_by_the_upgrade_authority_makes_it_admin<P: Administered>() {
    let mut t = initialised::<P>().await;
    let config = t.env.account(P::config_pda()).await.expect("config exists");
    let expected = Roles { admin: t.admin.pubkey(), guardian: t.guardian.pubkey() };
    assert_eq!(P::roles(&config.data), expected);
}

pub async fn initialize_refuses_a_signer_that_is_not_the_upgrade_authority<P: Administered>() {
    let mut f = fresh().await;
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
    let mut f = fresh().await;
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
    let mut f = fresh().await;
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
    let mut f = fresh().await;
    let signer = f.authority.insecure_clone();
    f.env.set_program_data(&P::ID, None);
    let program_data = program_data_address(&P::ID);
    f.initialize_refused::<P>(&signer, &program_data, GuardError::ProgramImmutable).await;
}
