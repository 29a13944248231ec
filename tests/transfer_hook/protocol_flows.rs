//! The protocol's own flows keep working for permissioned units: exchange into value-anchor
//! (units into its collateral, owned by its config PDA, always allowed), redemption at
//! maturity (a burn, which runs no hook), and the hook's list of protocol accounts matches the
//! programs' PDAs.
use rwa_testkit::{
    anchor_token::{
        accept_pool_with_ix, anchor_mint_pda, AnchorFixture, ExchangeAccounts, POOL_PARAMS,
    },
    prelude::*,
    pricer::{RefreshAccounts, BENCHMARK, GRADE_FEEDS},
    registry::unit_mint_pda,
    transfer_hook::*,
};
use transfer_hook::errors::HookError;

#[test]
fn the_hooks_protocol_accounts_are_the_programs_config_pdas() {
    let va = Pubkey::find_program_address(&[value_anchor::seeds::CONFIG], &value_anchor::ID).0;
    let reserve =
        Pubkey::find_program_address(&[buyback_reserve::seeds::CONFIG], &buyback_reserve::ID).0;
    assert_eq!(transfer_hook::protocol::VALUE_ANCHOR_CONFIG, va);
    assert_eq!(transfer_hook::protocol::RESERVE_CONFIG, reserve);
    assert_eq!(transfer_hook::ID, rwa_guard::mint::PROTOCOL_TRANSFER_HOOK);
}

#[tokio::test]
async fn permissioned_units_exchange_into_value_anchor_and_unattested_holders_cannot_receive() {
    let mut f = AnchorFixture::new().await;
    let attestor = f.p.r.init_hook().await;
    let (pool, issuer_units) = f.p.r.active_token_2022_pool(1, Some(&attestor.pubkey())).await;
    let admin = f.p.r.admin.insecure_clone();
    let accept = [
        rwa_testkit::pricer::create_pool_pricing_ix(
            &admin.pubkey(),
            &pool,
            &rwa_testkit::oracle::grade_pda(1),
            &rwa_testkit::oracle::feed_pda(&BENCHMARK),
            rwa_testkit::pricer::PRICING,
        ),
        accept_pool_with_ix(&admin.pubkey(), &pool, TokenProgram::Token2022, POOL_PARAMS),
    ];
    f.p.r.env.send_ok(&accept, &[&admin]).await;
    f.accepted.push(pool);
    let mint = unit_mint_pda(&pool);
    let holder = f.holder.insecure_clone();
    let holder_units = f.p.r.env.create_ata(TokenProgram::Token2022, &mint, &holder.pubkey()).await;
    let issuer = f.p.r.issuer.insecure_clone();
    let units = 1_000_000_000;
    // the holder is not attested yet: refused by the hook
    let give = hooked_transfer_ix(
        &mint,
        &issuer_units,
        &holder_units,
        &holder.pubkey(),
        &issuer.pubkey(),
        &attestor.pubkey(),
        units,
    );
    f.p.r
        .env
        .send_expect_error(std::slice::from_ref(&give), &[&issuer], HookError::NotAttested)
        .await;
    f.p.r.attest(&attestor, &holder.pubkey()).await;
    f.p.r.env.send_ok(&[give], &[&issuer]).await;

    let mut accounts =
        ExchangeAccounts::new(&holder.pubkey(), &pool, &holder_units, &f.holder_anchor);
    accounts.accepted = f.accepted.clone();
    accounts.unit_token_program = rwa_testkit::spl_token_2022::ID;
    let va_config = rwa_testkit::anchor_token::config_pda();
    let exchange =
        with_transfer_hook_accounts(accounts.ix(units, 1), &mint, &attestor.pubkey(), &va_config);
    let refresh = RefreshAccounts::new(&pool, 1, &BENCHMARK, &GRADE_FEEDS).ix();
    let before = f.p.r.env.token_balance(f.holder_anchor).await;
    f.p.r.env.send_ok(&[refresh.clone(), exchange], &[&holder]).await;
    assert_eq!(f.p.r.env.token_balance(holder_units).await, 0);
    assert_eq!(
        f.p.r.env.token_balance(rwa_testkit::anchor_token::collateral_pda(&pool)).await,
        units
    );
    assert!(f.p.r.env.token_balance(f.holder_anchor).await > before);
    let _ = anchor_mint_pda();
}
