//! The protocol token: a fixed supply minted once into the treasury (mint authority revoked),
//! released by the admin only (`transfer_treasury`), staked (`stake_protocol`) and unstaked
//! after the stake cooldown, inside the window (`request_exit` + `unstake_protocol`).
use anchor_lang::{error::ErrorCode, solana_program::program_pack::Pack};
use buyback_reserve::{
    errors::ReserveError, instructions::protocol_token::PROTOCOL_DECIMALS, state::PositionKind,
};
use rwa_testkit::{
    failing_program, prelude::*, reserve::*, solana_sdk::transaction::TransactionError, spl_token,
};

const SUPPLY: u64 = 100_000_000_000_000; // 100,000,000.000000 tokens

async fn mint_state(fx: &mut ReserveFixture) -> spl_token::state::Mint {
    let account = fx.env().account(protocol_mint_pda()).await.expect("the protocol mint exists");
    spl_token::state::Mint::unpack_from_slice(&account.data).unwrap()
}

async fn token_owner(fx: &mut ReserveFixture, account: Pubkey) -> Pubkey {
    let account = fx.env().account(account).await.expect("token account exists");
    spl_token::state::Account::unpack_from_slice(&account.data).unwrap().owner
}

#[tokio::test]
async fn create_protocol_token_mints_the_fixed_supply_into_the_treasury_and_revokes_the_mint_authority(
) {
    let mut fx = ReserveFixture::new().await;
    fx.create_protocol_token(SUPPLY).await;
    let mint = mint_state(&mut fx).await;
    assert_eq!(mint.supply, SUPPLY);
    assert_eq!(mint.decimals, PROTOCOL_DECIMALS);
    assert!(mint.mint_authority.is_none(), "nobody can ever mint more");
    assert!(mint.freeze_authority.is_none());
    assert_eq!(fx.env().token_balance(treasury_pda()).await, SUPPLY);
    assert_eq!(fx.env().token_balance(stake_vault_pda()).await, 0);
    assert_eq!(token_owner(&mut fx, treasury_pda()).await, config_pda());
    assert_eq!(token_owner(&mut fx, stake_vault_pda()).await, config_pda());
    let config = fx.config().await;
    assert_eq!(
        (config.protocol_mint, config.treasury, config.stake_vault),
        (protocol_mint_pda(), treasury_pda(), stake_vault_pda())
    );
}

/// The mint's PDA exists after the first creation, so the second fails creating it again: the
/// system program refuses it (its error differs between native and SBF runs: invalid
/// instruction data natively, `AccountAlreadyInUse` on SBF), before the handler's own
/// `ProtocolTokenExists` check is reached. Nothing changes.
#[tokio::test]
async fn a_second_create_protocol_token_is_refused_as_the_mint_already_exists() {
    let mut fx = ReserveFixture::new().await;
    fx.create_protocol_token(SUPPLY).await;
    let admin = fx.a.p.r.admin.insecure_clone();
    let ix = create_protocol_token_ix(&admin.pubkey(), SUPPLY);
    let failure = fx.env().send_expect_failure(&[ix], &[&admin]).await;
    assert_refused_by_the_system_program(&failure);
    assert_eq!(mint_state(&mut fx).await.supply, SUPPLY);
    assert_eq!(fx.env().token_balance(treasury_pda()).await, SUPPLY);
}

/// The transaction's first instruction failed in a system-program CPI (creating an account that
/// exists), not in the program's own checks.
pub fn assert_refused_by_the_system_program(failure: &TxFailure) {
    assert!(
        matches!(failure.error, TransactionError::InstructionError(0, _)),
        "{:?}",
        failure.error
    );
    assert!(
        !matches!(failure.error, TransactionError::InstructionError(_, InstructionError::Custom(c)) if c >= 6_000),
        "not a program error: {:?}",
        failure.error
    );
    assert_eq!(
        failing_program(&failure.logs),
        Some(anchor_lang::system_program::ID),
        "{:?}",
        failure.logs
    );
}

#[tokio::test]
async fn create_protocol_token_by_anyone_but_the_admin_or_of_nothing_is_refused() {
    let mut fx = ReserveFixture::new().await;
    let guardian = fx.a.p.r.guardian.insecure_clone();
    let stranger = fx.env().funded_keypair(1_000_000_000).await;
    for who in [&guardian, &stranger] {
        let ix = create_protocol_token_ix(&who.pubkey(), SUPPLY);
        fx.env().send_expect_error(&[ix], &[who], ErrorCode::ConstraintHasOne).await;
    }
    let admin = fx.a.p.r.admin.insecure_clone();
    let ix = create_protocol_token_ix(&admin.pubkey(), 0);
    fx.env().send_expect_error(&[ix], &[&admin], ReserveError::InvalidAmount).await;
    assert!(fx.env().account(protocol_mint_pda()).await.is_none());
    assert_eq!(fx.config().await.protocol_mint, Pubkey::default());
}

#[tokio::test]
async fn transfer_treasury_releases_tokens_up_to_the_treasury_by_the_admin_only() {
    let mut fx = ReserveFixture::new().await;
    fx.create_protocol_token(SUPPLY).await;
    let admin = fx.a.p.r.admin.insecure_clone();
    let owner = Pubkey::new_unique();
    let destination =
        fx.env().create_ata(TokenProgram::Classic, &protocol_mint_pda(), &owner).await;

    let amount = 1_234_567;
    fx.env()
        .send_ok(&[transfer_treasury_ix(&admin.pubkey(), &destination, amount)], &[&admin])
        .await;
    assert_eq!(fx.env().token_balance(destination).await, amount);
    assert_eq!(fx.env().token_balance(treasury_pda()).await, SUPPLY - amount);

    let left = SUPPLY - amount;
    for bad in [0, left + 1] {
        let ix = transfer_treasury_ix(&admin.pubkey(), &destination, bad);
        fx.env().send_expect_error(&[ix], &[&admin], ReserveError::InvalidAmount).await;
    }
    let guardian = fx.a.p.r.guardian.insecure_clone();
    let ix = transfer_treasury_ix(&guardian.pubkey(), &destination, 1);
    fx.env().send_expect_error(&[ix], &[&guardian], ErrorCode::ConstraintHasOne).await;

    // all of what is left goes
    fx.env().send_ok(&[transfer_treasury_ix(&admin.pubkey(), &destination, left)], &[&admin]).await;
    assert_eq!(fx.env().token_balance(treasury_pda()).await, 0);
    assert_eq!(fx.env().token_balance(destination).await, SUPPLY);
}

/// Before the token exists its PDAs are empty (Anchor refuses them as not initialised); given
/// real mint and token accounts instead, the config's unset protocol mint refuses them.
#[tokio::test]
async fn before_the_token_exists_treasury_and_staking_are_refused() {
    let mut fx = ReserveFixture::new().await;
    let admin = fx.a.p.r.admin.insecure_clone();
    let actor = fx.actor(1_000_000).await;
    let currency = fx.stable_mint();

    let ix = transfer_treasury_ix(&admin.pubkey(), &actor.stable, 1);
    fx.env().send_expect_error(&[ix], &[&admin], ErrorCode::AccountNotInitialized).await;
    // another mint and token accounts in the protocol token's places
    let mut ix = transfer_treasury_ix(&admin.pubkey(), &actor.stable, 1);
    ix.accounts[2].pubkey = currency;
    ix.accounts[3].pubkey = stable_vault_pda();
    fx.env().send_expect_error(&[ix], &[&admin], ReserveError::NoProtocolToken).await;

    let who = actor.key.pubkey();
    let mut ix = stake_protocol_ix(&who, &actor.stable, 1_000_000);
    ix.accounts[5].pubkey = currency;
    ix.accounts[6].pubkey = stable_vault_pda();
    fx.env().send_expect_error(&[ix], &[&actor.key], ReserveError::NoProtocolToken).await;
    assert_eq!(fx.env().token_balance(actor.stable).await, 1_000_000);
}

#[tokio::test]
async fn a_stake_is_unstaked_after_the_cooldown_inside_the_window() {
    let mut fx = ReserveFixture::new().await;
    fx.create_protocol_token(SUPPLY).await;
    let stake = 10_000_000;
    let (staker, tokens) = fx.protocol_holder(stake).await;
    let who = staker.pubkey();
    fx.env().send_ok(&[stake_protocol_ix(&who, &tokens, stake)], &[&staker]).await;
    assert_eq!(fx.env().token_balance(tokens).await, 0);
    assert_eq!(fx.env().token_balance(stake_vault_pda()).await, stake);
    assert_eq!(fx.book().await.staked, stake);
    let position = fx.position(PositionKind::Protocol, &who).await;
    assert_eq!(
        (position.owner, position.kind, position.shares),
        (who, PositionKind::Protocol, stake)
    );

    // nothing leaves without a requested exit
    let ix = unstake_protocol_ix(&who, &tokens, 1);
    fx.env().send_expect_error(&[ix], &[&staker], ReserveError::NoExitRequested).await;
    let exiting = 4_000_000;
    fx.env().send_ok(&[request_exit_ix(&who, PositionKind::Protocol, exiting)], &[&staker]).await;
    let requested_at = fx.position(PositionKind::Protocol, &who).await.exit_requested_at;
    let opens = requested_at + PARAMS.stake_cooldown_secs as i64;

    fx.env().set_unix_timestamp(opens - 1).await;
    let ix = unstake_protocol_ix(&who, &tokens, exiting);
    fx.env().send_expect_error(&[ix], &[&staker], ReserveError::CooldownActive).await;
    fx.env().set_unix_timestamp(opens).await;
    let ix = unstake_protocol_ix(&who, &tokens, exiting + 1);
    fx.env().send_expect_error(&[ix], &[&staker], ReserveError::InvalidAmount).await;
    let first = 1_000_000;
    fx.env().send_ok(&[unstake_protocol_ix(&who, &tokens, first)], &[&staker]).await;
    // the rest of the request, at the window's last second
    fx.env().set_unix_timestamp(opens + PARAMS.stake_window_secs as i64).await;
    fx.env().send_ok(&[unstake_protocol_ix(&who, &tokens, exiting - first)], &[&staker]).await;

    assert_eq!(fx.env().token_balance(tokens).await, exiting);
    assert_eq!(fx.env().token_balance(stake_vault_pda()).await, stake - exiting);
    assert_eq!(fx.book().await.staked, stake - exiting);
    let position = fx.position(PositionKind::Protocol, &who).await;
    assert_eq!(
        (position.shares, position.exiting, position.exit_requested_at),
        (stake - exiting, 0, 0)
    );
}

#[tokio::test]
async fn an_unstake_after_the_window_is_refused_until_requested_again() {
    let mut fx = ReserveFixture::new().await;
    fx.create_protocol_token(SUPPLY).await;
    let stake = 10_000_000;
    let (staker, tokens) = fx.protocol_holder(stake).await;
    let who = staker.pubkey();
    fx.env().send_ok(&[stake_protocol_ix(&who, &tokens, stake)], &[&staker]).await;
    fx.env().send_ok(&[request_exit_ix(&who, PositionKind::Protocol, stake)], &[&staker]).await;
    let requested_at = fx.position(PositionKind::Protocol, &who).await.exit_requested_at;
    let closes = requested_at + PARAMS.stake_cooldown_secs as i64 + PARAMS.stake_window_secs as i64;
    fx.env().set_unix_timestamp(closes + 1).await;
    let ix = unstake_protocol_ix(&who, &tokens, stake);
    fx.env().send_expect_error(&[ix], &[&staker], ReserveError::WindowClosed).await;

    fx.env().send_ok(&[request_exit_ix(&who, PositionKind::Protocol, stake)], &[&staker]).await;
    let ix = unstake_protocol_ix(&who, &tokens, stake);
    fx.env().send_expect_error(&[ix], &[&staker], ReserveError::CooldownActive).await;
    fx.env().warp_seconds(PARAMS.stake_cooldown_secs as i64).await;
    fx.env().send_ok(&[unstake_protocol_ix(&who, &tokens, stake)], &[&staker]).await;
    assert_eq!(fx.env().token_balance(tokens).await, stake);
    assert_eq!(fx.book().await.staked, 0);
}

#[tokio::test]
async fn a_paused_reserve_takes_no_stakes_but_unstakes_go_on() {
    let mut fx = ReserveFixture::new().await;
    fx.create_protocol_token(SUPPLY).await;
    let (staker, tokens) = fx.protocol_holder(2_000_000).await;
    let who = staker.pubkey();
    fx.env().send_ok(&[stake_protocol_ix(&who, &tokens, 1_000_000)], &[&staker]).await;
    fx.env().send_ok(&[request_exit_ix(&who, PositionKind::Protocol, 1_000_000)], &[&staker]).await;
    let guardian = fx.a.p.r.guardian.insecure_clone();
    fx.env().send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    let ix = stake_protocol_ix(&who, &tokens, 1_000_000);
    fx.env().send_expect_error(&[ix], &[&staker], ReserveError::Paused).await;
    fx.env().warp_seconds(PARAMS.stake_cooldown_secs as i64).await;
    fx.env().send_ok(&[unstake_protocol_ix(&who, &tokens, 1_000_000)], &[&staker]).await;
    assert_eq!(fx.env().token_balance(tokens).await, 2_000_000);
}
