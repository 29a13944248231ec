use anchor_lang::solana_program::program_pack::Pack;
use buyback_reserve::{
    errors::ReserveError,
    state::{ReserveBook, ReserveConfig, ReserveParams, MAX_DISCOUNT_BPS},
    InitializeParams,
};
use rwa_testkit::{
    anchor_token::AnchorFixture,
    authority::{program_data_address, BuybackReserve},
    prelude::*,
    reserve::*,
};

/// value-anchor's fixture with the reserve's upgrade authority set to the shared admin; the
/// reserve not yet initialised.
async fn before_init() -> (AnchorFixture, Keypair) {
    let mut a = AnchorFixture::new().await;
    let admin = a.p.r.admin.insecure_clone();
    a.p.r.env.set_upgrade_authority(&buyback_reserve::ID, &admin.pubkey());
    (a, admin)
}

fn init_ix(
    admin: &Keypair,
    stable: &Pubkey,
    guardian: Pubkey,
    params: ReserveParams,
) -> Instruction {
    let program_data = program_data_address(&buyback_reserve::ID);
    initialize_ix(&admin.pubkey(), &program_data, stable, InitializeParams { guardian, params })
}

#[tokio::test]
async fn initialize_binds_value_anchors_mints_and_creates_vaults_owned_by_the_config() {
    let mut fx = ReserveFixture::new().await;
    let config: ReserveConfig = fx.config().await;
    assert_eq!(config.stable_mint, fx.stable_mint());
    assert_eq!(config.anchor_mint, rwa_testkit::anchor_token::anchor_mint_pda());
    assert_eq!(config.params, PARAMS);
    assert_eq!(config.protocol_mint, Pubkey::default(), "the protocol token comes later");
    let vaults = [
        (config.stable_vault, stable_vault_pda()),
        (config.insurance_vault, insurance_vault_pda()),
        (config.fee_vault, fee_vault_pda()),
        (config.rewards_vault, rewards_vault_pda()),
        (config.anchor_vault, anchor_vault_pda()),
    ];
    for (stored, derived) in vaults {
        assert_eq!(stored, derived);
        let account = fx.env().account(stored).await.expect("vault exists");
        let token =
            anchor_spl::token::spl_token::state::Account::unpack_from_slice(&account.data).unwrap();
        assert_eq!(token.owner, config_pda());
    }
    let book: ReserveBook = fx.book().await;
    assert_eq!((book.holding_count, book.holdings[0].pool), (1, fx.pool()));
    assert_eq!((book.cash, book.insurance_cash), (DEPOSIT, STAKE));
}

#[tokio::test]
async fn initialize_refuses_an_exit_curve_out_of_order_or_deeper_than_the_hard_cap() {
    let (mut a, admin) = before_init().await;
    let stable = a.p.r.currency;
    let guardian = Pubkey::new_unique();
    let bad = [
        ReserveParams { max_discount_bps: MAX_DISCOUNT_BPS + 1, ..PARAMS },
        ReserveParams { min_discount_bps: [50, 1_001, 0, 0, 0], ..PARAMS },
        ReserveParams { curve_exponent: 0, ..PARAMS },
        ReserveParams { curve_exponent: 5, ..PARAMS },
    ];
    for params in bad {
        let ix = init_ix(&admin, &stable, guardian, params);
        a.p.r.env.send_expect_error(&[ix], &[&admin], ReserveError::InvalidExitCurve).await;
    }
    assert!(a.p.r.env.account(config_pda()).await.is_none());
}

#[tokio::test]
async fn initialize_refuses_parameters_out_of_bounds() {
    let (mut a, admin) = before_init().await;
    let stable = a.p.r.currency;
    let guardian = Pubkey::new_unique();
    let bad = [
        ReserveParams { epoch_secs: 3_599, ..PARAMS },
        ReserveParams { bid_band_bps: 0, ..PARAMS },
        ReserveParams { bid_band_bps: 101, ..PARAMS },
        ReserveParams { max_price_age_secs: 0, ..PARAMS },
        ReserveParams { discount_to_insurance_bps: 10_001, ..PARAMS },
        ReserveParams { fee_to_insurance_bps: 6_000, fee_to_stakers_bps: 4_001, ..PARAMS },
        ReserveParams { stake_cooldown_secs: 30 * 86_400 + 1, ..PARAMS },
        ReserveParams { stake_window_secs: 3_599, ..PARAMS },
        ReserveParams { deposit_window_secs: 30 * 86_400 + 1, ..PARAMS },
    ];
    for params in bad {
        let ix = init_ix(&admin, &stable, guardian, params);
        a.p.r.env.send_expect_error(&[ix], &[&admin], ReserveError::InvalidParams).await;
    }
}

#[tokio::test]
async fn initialize_refuses_the_default_pubkey_as_guardian() {
    let (mut a, admin) = before_init().await;
    let stable = a.p.r.currency;
    let ix = init_ix(&admin, &stable, Pubkey::default(), PARAMS);
    a.p.r.env.send_expect_error(&[ix], &[&admin], ReserveError::InvalidGuardian).await;
}

#[tokio::test]
async fn initialize_refuses_a_stablecoin_other_than_value_anchors_reserve_mint() {
    let (mut a, admin) = before_init().await;
    let other = a.p.r.env.create_mint(TokenProgram::Classic, 6, &admin.pubkey()).await;
    let ix = init_ix(&admin, &other, Pubkey::new_unique(), PARAMS);
    a.p.r.env.send_expect_error(&[ix], &[&admin], ReserveError::CurrencyMismatch).await;
}

rwa_integration_tests::authority_tests!(BuybackReserve:
    initialize_by_the_upgrade_authority_makes_it_admin_with_nothing_pending,
    initialize_refuses_a_signer_that_is_not_the_upgrade_authority,
    initialize_refuses_the_program_data_of_another_program,
    initialize_refuses_a_program_data_account_the_loader_did_not_write,
    initialize_refuses_an_immutable_program,
);
