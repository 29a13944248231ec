//! Audit probes: each `probe_*` test replays an attack the audit of buyback-reserve found and
//! asserts the property that defeats it (its doc comment tells the finding and the fix); each
//! `held_*` test replays an attack that was tried and refused, asserting the refusal by
//! program and error name and that nothing changed.
use anchor_lang::error::ErrorCode;
use buyback_reserve::{
    errors::ReserveError,
    state::MIN_FIRST_DEPOSIT,
    state::{PositionKind, ReserveBook},
};
use rwa_guard::GuardError;
use rwa_math::shares;
use rwa_testkit::{
    anchor_token::{self as va, refresh_backing_ix},
    authority::program_data_address,
    oracle::{feed_pda, grade_pda},
    prelude::*,
    pricer::{self, BENCHMARK, INPUTS_BPS, PRICING},
    registry::{self, pool_params, unit_mint_pda, vault_pda, FACE},
    reserve::*,
    spl_token,
    token::MintExtension,
};
use value_anchor::{
    errors::AnchorTokenError,
    math,
    state::{AnchorConfig, Backing},
};

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

/// Units the fixture holder sells in the probes (a tenth of the epoch budget's worth or less).
const UNITS: u64 = 10_000_000_000;

/// `ix` with every account `from` replaced by `to` (signer and writable flags kept).
fn swap(mut ix: Instruction, from: &Pubkey, to: &Pubkey) -> Instruction {
    let mut hit = false;
    for meta in ix.accounts.iter_mut().filter(|m| m.pubkey == *from) {
        meta.pubkey = *to;
        hit = true;
    }
    assert!(hit, "{from} is not an account of the instruction");
    ix
}

/// A copy of account `of` at a fresh address, owned by `owner` (a look-alike: same data, same
/// discriminator).
async fn look_alike(fx: &mut ReserveFixture, of: Pubkey, owner: Pubkey) -> Pubkey {
    let mut account = fx.env().account(of).await.expect("the original exists");
    account.owner = owner;
    let at = Pubkey::new_unique();
    fx.env().set_account(at, account);
    at
}

/// Sends `ixs` expecting a failure; checks that the reserve's book and config, every vault of
/// the reserve, value-anchor's backing and stable reserve, the holder's accounts and `extra`
/// are unchanged.
async fn refused_unchanged(
    fx: &mut ReserveFixture,
    ixs: &[Instruction],
    signers: &[&Keypair],
    extra: &[Pubkey],
) -> TxFailure {
    let pool = fx.pool();
    let mut watched = vec![
        book_pda(),
        config_pda(),
        stable_vault_pda(),
        insurance_vault_pda(),
        fee_vault_pda(),
        rewards_vault_pda(),
        anchor_vault_pda(),
        units_vault_pda(&pool),
        va::backing_pda(),
        va::stable_reserve_pda(),
        fx.a.holder_units,
        fx.a.holder_stable,
        fx.a.holder_anchor,
    ];
    watched.extend_from_slice(extra);
    let mut before = vec![];
    for a in &watched {
        before.push(fx.env().account(*a).await);
    }
    let failure = fx.env().send_expect_failure(ixs, signers).await;
    for (a, b) in watched.iter().zip(before) {
        assert_eq!(fx.env().account(*a).await, b, "{a} unchanged");
    }
    failure
}

/// Creates, prices (dcf-pricer) and lists (the reserve) the registry's pool 1; returns it.
async fn second_listed_pool(fx: &mut ReserveFixture) -> Pubkey {
    let pool = fx.a.p.r.active_pool(1).await.0;
    let admin = fx.a.p.r.admin.insecure_clone();
    let ixs = [
        pricer::create_pool_pricing_ix(
            &admin.pubkey(),
            &pool,
            &grade_pda(1),
            &feed_pda(&BENCHMARK),
            PRICING,
        ),
        list_pool_ix(&admin.pubkey(), &pool, POOL_CAP),
    ];
    fx.env().send_ok(&ixs, &[&admin]).await;
    pool
}

/// The holder sells `units` (rate refreshed in the same transaction).
async fn sell(fx: &mut ReserveFixture, units: u64) {
    let ixs = fx.refresh_and_sell_ixs(units, 0);
    fx.as_holder(&ixs).await;
}

/// The holder exchanges `units` for anchor tokens (and mints `stable` more with stable, if
/// any) and sells `amount` of them to the bid.
async fn reserve_holds_anchor(fx: &mut ReserveFixture, units: u64, stable: u64, amount: u64) {
    let ixs = fx.a.exchange_ixs(units, 1);
    fx.as_holder(&ixs).await;
    if stable > 0 {
        let ix = fx.a.mint_ix(stable, 1);
        fx.as_holder(&[ix]).await;
    }
    let ix = fx.sell_anchor_ix(amount, 0);
    fx.as_holder(&[ix]).await;
    assert_eq!(fx.book().await.anchor_held, amount);
}

/// `ceil(supply x 1.01) - backing`: what value-anchor's `receive_cover` takes at most.
fn shortfall(b: &Backing) -> u64 {
    math::shortfall_ceil(b.total_backing, b.anchor_supply, va::PARAMS.overcollateral_bps).unwrap()
}

/// Mints `amount` of the reserve stablecoin straight into the reserve's fee vault (as
/// value-anchor's `sweep_fees` would move PSM fees there).
async fn fees_in_the_vault(fx: &mut ReserveFixture, amount: u64) {
    let admin = fx.a.p.r.admin.insecure_clone();
    let currency = fx.stable_mint();
    fx.env().mint_tokens(TokenProgram::Classic, &currency, &fee_vault_pda(), &admin, amount).await;
}

async fn distribute(fx: &mut ReserveFixture) {
    let ix = distribute_fees_ix(&fx.stable_mint());
    fx.env().send_ok(&[ix], &[]).await;
}

/// A holder of `tokens` protocol tokens (released by the admin), all staked, with a stable
/// account for its rewards.
async fn protocol_staker(fx: &mut ReserveFixture, tokens: u64) -> (Actor, Pubkey) {
    let (key, account) = fx.protocol_holder(tokens).await;
    fx.env().send_ok(&[stake_protocol_ix(&key.pubkey(), &account, tokens)], &[&key]).await;
    let currency = fx.stable_mint();
    let stable = fx.env().create_ata(TokenProgram::Classic, &currency, &key.pubkey()).await;
    (Actor { key, stable }, account)
}

/// `who` claims its rewards: what arrived, 0 when the reserve says nothing is owed. Any other
/// failure fails the test.
async fn claim_or_nothing(fx: &mut ReserveFixture, who: &Actor) -> u64 {
    let before = fx.env().token_balance(who.stable).await;
    let ix = claim_rewards_ix(&who.key.pubkey(), &who.stable, &fx.stable_mint());
    match fx.env().send(&[ix], &[&who.key]).await {
        Ok(_) => fx.env().token_balance(who.stable).await - before,
        Err(f) => {
            f.assert_error(0, buyback_reserve::ID, ReserveError::NothingOwed);
            0
        }
    }
}

/// The vaults hold what the book says.
async fn assert_vaults_match_the_book(fx: &mut ReserveFixture) -> ReserveBook {
    let book = fx.book().await;
    assert_eq!(fx.env().token_balance(stable_vault_pda()).await, book.cash);
    assert_eq!(fx.env().token_balance(insurance_vault_pda()).await, book.insurance_cash);
    assert_eq!(fx.env().token_balance(rewards_vault_pda()).await, book.rewards_cash);
    book
}

// =============================================================================================
// PROBES: findings, fixed
// =============================================================================================

/// Finding 1 (Low): the reward debt of a protocol-token staker was `floor(stake x acc)` when
/// its stake changed, so a staker entering while the accumulator has a fractional part was
/// credited that fraction it never earned: with stakes 2, then 1 + 1 entering at `acc = 0.5`,
/// rewards of 1 then 2 (3 in all) were owed as 2 + 1 + 1 = 4, and the last claim failed with
/// `MathOverflow` (the book's rewards cash ran out; the rewards vault too). Fix: a position
/// keeps the accumulator it last settled at (`reward_index`) and is owed `floor(stake x (acc -
/// index))`, never more than its exact share, so the rewards owed never exceed what was added.
#[tokio::test]
async fn probe_stakers_never_claim_more_rewards_than_were_distributed() {
    let mut fx = ReserveFixture::new().await;
    fx.create_protocol_token(1_000_000_000_000).await;
    let (a, _) = protocol_staker(&mut fx, 2).await;
    // 20% of 5 to the stakers: 1 over 2 tokens, the accumulator at 0.5
    fees_in_the_vault(&mut fx, 5).await;
    distribute(&mut fx).await;
    assert_eq!(fx.book().await.rewards_cash, 1);
    let (b, _) = protocol_staker(&mut fx, 1).await;
    let (c, _) = protocol_staker(&mut fx, 1).await;
    // 20% of 10: 2 more over 4 tokens, the accumulator at 1.0
    fees_in_the_vault(&mut fx, 10).await;
    distribute(&mut fx).await;
    let distributed = fx.book().await.rewards_cash;
    assert_eq!(distributed, 3);

    let mut claimed = 0;
    for who in [&a, &b, &c] {
        claimed += claim_or_nothing(&mut fx, who).await;
    }
    assert!(claimed <= distributed, "claimed {claimed} of {distributed}");
    assert_eq!(claimed, 2, "a earned 0.5 x 2 + 0.5 x 2; b and c 0.5 each, rounded down");
    let book = assert_vaults_match_the_book(&mut fx).await;
    assert_eq!(book.rewards_cash, distributed - claimed);
}

/// Finding 2 (Medium): a lone staker of one base unit makes every distribution add the whole
/// stakers' share per token to the accumulator (1,000 stablecoin units of rewards put it at
/// 10^9), and `floor(stake x acc)`, the reward debt every stake and unstake computed, then
/// overflows u64 for any stake above 1.8 x 10^19 / acc (here 18,446 tokens): staking failed
/// with `MathOverflow` for every large holder, for good (the accumulator never falls). Fix (as
/// finding 1): only the rewards accrued since the position's index are computed, `floor(stake x
/// (acc - index))`, which is at most what the stake earned.
#[tokio::test]
async fn probe_a_dust_stake_cannot_lock_large_holders_out_of_staking() {
    let mut fx = ReserveFixture::new().await;
    fx.create_protocol_token(1_000_000_000_000_000).await;
    let (dust, _) = protocol_staker(&mut fx, 1).await;
    fees_in_the_vault(&mut fx, 5_000_000_000).await;
    distribute(&mut fx).await;
    let acc = rwa_math::Fixed::from_raw(fx.book().await.reward_per_token);
    assert_eq!(acc, rwa_math::Fixed::from_u64(1_000_000_000));

    // a large holder stakes afterwards
    let whale_tokens = 100_000_000_000;
    let (whale, tokens) = protocol_staker(&mut fx, whale_tokens).await;
    assert_eq!(fx.book().await.staked, whale_tokens + 1);
    assert_eq!(fx.env().token_balance(tokens).await, 0);
    fees_in_the_vault(&mut fx, 5_000_000).await;
    distribute(&mut fx).await;

    let to_dust = claim_or_nothing(&mut fx, &dust).await;
    let to_whale = claim_or_nothing(&mut fx, &whale).await;
    assert_eq!(to_dust, 1_000_000_000, "all of the first distribution, nothing of the second");
    assert!((999_990..=1_000_000).contains(&to_whale), "the second distribution: {to_whale}");
    let book = assert_vaults_match_the_book(&mut fx).await;
    assert_eq!(book.rewards_cash, 1_001_000_000 - to_dust - to_whale);

    // and it can leave with its tokens and its rewards settled
    let who = whale.key.pubkey();
    fx.env()
        .send_ok(&[request_exit_ix(&who, PositionKind::Protocol, whale_tokens)], &[&whale.key])
        .await;
    fx.env().warp_seconds(PARAMS.stake_cooldown_secs as i64).await;
    let ix = unstake_protocol_ix(&who, &tokens, whale_tokens);
    fx.env().send_ok(&[ix], &[&whale.key]).await;
    assert_eq!(fx.env().token_balance(tokens).await, whale_tokens);
}

/// A default leaves value-anchor short by more than the insurance holds; someone (anyone:
/// value-anchor's `receive_cover` is permissionless) pays part of the shortfall so that the
/// reserve's cover then leaves exactly `left` in the insurance pool. Returns the insurance
/// shares before the cover.
async fn covered_leaving(fx: &mut ReserveFixture, left: u64) -> u64 {
    let ixs = fx.a.exchange_ixs(FACE / 10, 1);
    fx.as_holder(&ixs).await;
    fx.a.default_and_refresh().await;
    let need = shortfall(&fx.a.backing().await);
    let insurance = fx.book().await.insurance_cash;
    assert!(need > insurance, "the loss exceeds the insurance: {need}");
    let pay = need - (insurance - left);
    let payer = fx.actor(pay).await;
    let ix = fx.a.cover_ix(&payer.key.pubkey(), &payer.stable, pay);
    fx.send_as(&payer, &[ix]).await;
    assert_eq!(shortfall(&fx.a.backing().await), insurance - left);
    let shares = fx.book().await.insurance_shares;
    let cover = fx.cover_ix();
    fx.env().send_ok(&[cover], &[]).await;
    assert_eq!(fx.book().await.insurance_cash, left);
    shares
}

/// Finding 3 (Medium): insurance shares are u64 and a cover burns none, so a cover that leaves
/// the pool next to nothing collapses the share price: with 20,000 units staked (2 x 10^13
/// shares) and 1 unit left (`MIN_FIRST_DEPOSIT`, just not a wipe-out by the old rule), a
/// restock of 1,000,000 units would be 2 x 10^19 shares: `MathOverflow`. The first-loss layer
/// could then never be refilled beyond ~922,000 units (and far less for a larger pool), right
/// after a loss, when it matters; anyone can steer a cover there by paying part of
/// value-anchor's shortfall first. Fix: a cover also voids the generation when each share is
/// left worth less than a thousandth of its first price (`insurance_shares > insurance_cash x
/// 10^6`): the old stakers lose at most 0.1% of what their shares first cost, and the pool can
/// always take at least u64::MAX / 10^6 base units (18 million units) again.
#[tokio::test]
async fn probe_a_cover_that_leaves_the_insurance_next_to_nothing_lets_it_be_restocked() {
    let mut fx = ReserveFixture::new().await;
    let old_shares = covered_leaving(&mut fx, MIN_FIRST_DEPOSIT).await;
    assert_eq!(old_shares, STAKE * shares::VIRTUAL_SHARES);
    let book = fx.book().await;
    assert_eq!((book.insurance_shares, book.insurance_generation), (0, 1), "voided");

    let newcomer = fx.actor(FACE).await;
    let ix = fx.stake_ix(&newcomer, FACE, 0);
    fx.send_as(&newcomer, &[ix]).await;
    let p = fx.position(PositionKind::Insurance, &newcomer.key.pubkey()).await;
    let book = fx.book().await;
    let worth = shares::assets_for_shares(p.shares, book.insurance_cash, book.insurance_shares);
    assert!(worth.unwrap() + 1 >= FACE, "the restock is worth what it paid");
    // the old stakers' shares are void: nothing to request
    let old = fx.staker.clone();
    let ix = request_exit_ix(&old.key.pubkey(), PositionKind::Insurance, 1);
    fx.env().send_expect_error(&[ix], &[&old.key], ReserveError::InvalidAmount).await;
}

/// Finding 3, the other side of the line: a cover that leaves each share worth a thousandth of
/// its first price keeps the generation (the stakers keep what is left) and the pool still
/// takes a restock of a million units.
#[tokio::test]
async fn probe_a_cover_that_leaves_a_thousandth_keeps_the_shares_and_still_takes_a_restock() {
    let mut fx = ReserveFixture::new().await;
    let left = STAKE / 1_000;
    let old_shares = covered_leaving(&mut fx, left).await;
    let book = fx.book().await;
    assert_eq!((book.insurance_shares, book.insurance_generation), (old_shares, 0), "kept");
    let worth = shares::assets_for_shares(old_shares, book.insurance_cash, book.insurance_shares);
    assert!(worth.unwrap() + 1 >= left, "the old stakers keep what is left");

    let newcomer = fx.actor(FACE).await;
    let ix = fx.stake_ix(&newcomer, FACE, 0);
    fx.send_as(&newcomer, &[ix]).await;
    let p = fx.position(PositionKind::Insurance, &newcomer.key.pubkey()).await;
    let book = fx.book().await;
    let worth = shares::assets_for_shares(p.shares, book.insurance_cash, book.insurance_shares);
    assert!(worth.unwrap() + 1 >= FACE, "the restock is worth what it paid");
}

// =============================================================================================
// HELD: attacks tried and refused
// =============================================================================================

/// `sell_to_reserve` with substituted accounts: another listed pool's listing, pool, pricing,
/// units vault or unit mint; look-alikes of the pricing (same data at another address, owned by
/// dcf-pricer or by another program) and of the pricer config; the anchor mint as the
/// stablecoin; the seller's accounts as the reserve's vaults and the reserve's vaults as the
/// seller's; Token-2022 as either token program.
#[tokio::test]
async fn held_a_sale_refuses_every_substituted_account() {
    let mut fx = ReserveFixture::new().await;
    let other = second_listed_pool(&mut fx).await;
    let pool = fx.pool();
    let holder = fx.a.holder.insecure_clone();
    let refresh = fx.a.p.refresh_ix();
    let pricing_copy = look_alike(&mut fx, pricer::pool_pricing_pda(&pool), dcf_pricer::ID).await;
    let pricing_foreign =
        look_alike(&mut fx, pricer::pool_pricing_pda(&pool), receivables::ID).await;
    let pricer_config_copy = look_alike(&mut fx, pricer::config_pda(), dcf_pricer::ID).await;
    let t22 = TokenProgram::Token2022.id();
    let sale = fx.sell_ix(UNITS, 0);
    let cases: Vec<(Instruction, anchor_lang::error::Error)> = vec![
        (
            swap(sale.clone(), &listed_pool_pda(&pool), &listed_pool_pda(&other)),
            ErrorCode::ConstraintSeeds.into(),
        ),
        (swap(sale.clone(), &pool, &other), ErrorCode::ConstraintSeeds.into()),
        (
            swap(sale.clone(), &pricer::pool_pricing_pda(&pool), &pricer::pool_pricing_pda(&other)),
            ReserveError::AccountMismatch.into(),
        ),
        (
            swap(sale.clone(), &units_vault_pda(&pool), &units_vault_pda(&other)),
            ReserveError::AccountMismatch.into(),
        ),
        (
            swap(sale.clone(), &unit_mint_pda(&pool), &unit_mint_pda(&other)),
            ErrorCode::ConstraintTokenMint.into(),
        ),
        (
            swap(sale.clone(), &pricer::pool_pricing_pda(&pool), &pricing_copy),
            ReserveError::AccountMismatch.into(),
        ),
        (
            swap(sale.clone(), &pricer::pool_pricing_pda(&pool), &pricing_foreign),
            ErrorCode::AccountOwnedByWrongProgram.into(),
        ),
        (
            swap(sale.clone(), &pricer::config_pda(), &pricer_config_copy),
            ErrorCode::ConstraintSeeds.into(),
        ),
        (
            // the anchor token lives under Token-2022, the stablecoin under SPL Token: the
            // anchor account as the seller's stable account fails the token-program check
            swap(
                swap(sale.clone(), &fx.a.holder_stable, &fx.a.holder_anchor),
                &fx.stable_mint(),
                &va::anchor_mint_pda(),
            ),
            ErrorCode::ConstraintTokenTokenProgram.into(),
        ),
        (
            swap(sale.clone(), &stable_vault_pda(), &fx.a.holder_stable),
            ErrorCode::ConstraintDuplicateMutableAccount.into(),
        ),
        (
            swap(sale.clone(), &insurance_vault_pda(), &fx.a.holder_stable),
            ErrorCode::ConstraintDuplicateMutableAccount.into(),
        ),
        (
            swap(sale.clone(), &fx.a.holder_stable, &stable_vault_pda()),
            ErrorCode::ConstraintDuplicateMutableAccount.into(),
        ),
        (
            swap(sale.clone(), &fx.a.holder_stable, &insurance_vault_pda()),
            ErrorCode::ConstraintDuplicateMutableAccount.into(),
        ),
        (
            swap(sale.clone(), &fx.a.holder_units, &units_vault_pda(&pool)),
            ErrorCode::ConstraintDuplicateMutableAccount.into(),
        ),
        (swap(sale.clone(), &spl_token::ID, &t22), ErrorCode::ConstraintTokenTokenProgram.into()),
    ];
    for (ix, error) in cases {
        let f = refused_unchanged(&mut fx, &[refresh.clone(), ix], &[&holder], &[]).await;
        f.assert_error(1, buyback_reserve::ID, error);
    }
    // with the signer's own stable account as the insurance vault and a fresh account paid:
    // the config names the vault
    let other_stable = fx.actor(0).await.stable;
    let ix = swap(
        swap(sale.clone(), &insurance_vault_pda(), &other_stable),
        &fx.a.holder_stable,
        &fx.depositor.stable,
    );
    let f = refused_unchanged(&mut fx, &[refresh.clone(), ix], &[&holder], &[]).await;
    f.assert_error(1, buyback_reserve::ID, ReserveError::AccountMismatch);
    // the units are the seller's own: another holder's unit account is not
    let issuer_units = fx.a.p.issuer_units;
    let ix = swap(fx.sell_ix(UNITS, 0), &fx.a.holder_units, &issuer_units);
    let f = refused_unchanged(&mut fx, &[refresh.clone(), ix], &[&holder], &[issuer_units]).await;
    f.assert_error(1, buyback_reserve::ID, ErrorCode::ConstraintTokenOwner);
    // and the sale itself goes through
    sell(&mut fx, UNITS).await;
}

/// `mark_holding` with another pool's pricing, or a look-alike, is refused: the listing names
/// its pricing.
#[tokio::test]
async fn held_a_mark_refuses_another_pools_pricing() {
    let mut fx = ReserveFixture::new().await;
    let other = second_listed_pool(&mut fx).await;
    let pool = fx.pool();
    sell(&mut fx, UNITS).await;
    let copy = look_alike(&mut fx, pricer::pool_pricing_pda(&pool), dcf_pricer::ID).await;
    let refresh = fx.a.p.refresh_ix();
    for to in [pricer::pool_pricing_pda(&other), copy] {
        let ix = swap(mark_holding_ix(&pool), &pricer::pool_pricing_pda(&pool), &to);
        let f = refused_unchanged(&mut fx, &[refresh.clone(), ix], &[], &[]).await;
        f.assert_error(1, buyback_reserve::ID, ReserveError::AccountMismatch);
    }
    // another pool under this listing: the listing's seeds refuse it
    let ix = swap(mark_holding_ix(&pool), &pool, &other);
    let f = refused_unchanged(&mut fx, &[refresh.clone(), ix], &[], &[]).await;
    f.assert_error(1, buyback_reserve::ID, ErrorCode::ConstraintSeeds);
}

/// Share valuations (`deposit`, `withdraw`) with substituted accounts: look-alikes of
/// value-anchor's config and backing (owned by value-anchor at another address, or by another
/// program), listed pools missing or out of order, another pool in a holding's slot, a
/// stranger's stable account as the depositor's.
#[tokio::test]
async fn held_share_valuations_refuse_substituted_accounts() {
    let mut fx = ReserveFixture::new().await;
    let other = second_listed_pool(&mut fx).await;
    let pool = fx.pool();
    sell(&mut fx, UNITS).await;
    let d = fx.depositor.clone();
    let backing_copy = look_alike(&mut fx, va::backing_pda(), value_anchor::ID).await;
    let backing_foreign = look_alike(&mut fx, va::backing_pda(), receivables::ID).await;
    let config_copy = look_alike(&mut fx, va::config_pda(), value_anchor::ID).await;
    let listed = Valuation { listed: vec![pool, other], accepted: vec![] };
    let currency = fx.stable_mint();
    let deposit = deposit_ix(&d.key.pubkey(), &d.stable, &currency, &listed, 1_000_000, 0);
    let [refresh, mark] = fx.mark_ixs();
    let cases: Vec<(Instruction, anchor_lang::error::Error)> = vec![
        (
            swap(deposit.clone(), &va::backing_pda(), &backing_copy),
            ErrorCode::ConstraintSeeds.into(),
        ),
        (
            swap(deposit.clone(), &va::backing_pda(), &backing_foreign),
            ErrorCode::AccountOwnedByWrongProgram.into(),
        ),
        (swap(deposit.clone(), &va::config_pda(), &config_copy), ErrorCode::ConstraintSeeds.into()),
        (
            deposit_ix(
                &d.key.pubkey(),
                &d.stable,
                &currency,
                &Valuation { listed: vec![other, pool], accepted: vec![] },
                1_000_000,
                0,
            ),
            ReserveError::PoolAccountsMissing.into(),
        ),
        (
            deposit_ix(
                &d.key.pubkey(),
                &d.stable,
                &currency,
                &Valuation { listed: vec![pool], accepted: vec![] },
                1_000_000,
                0,
            ),
            ReserveError::PoolAccountsMissing.into(),
        ),
        (
            deposit_ix(
                &d.key.pubkey(),
                &d.stable,
                &currency,
                &Valuation { listed: vec![vault_pda(&pool), other], accepted: vec![] },
                1_000_000,
                0,
            ),
            ReserveError::PoolAccountsMissing.into(),
        ),
        (
            swap(deposit.clone(), &d.stable, &fx.a.holder_stable),
            ErrorCode::ConstraintTokenOwner.into(),
        ),
        (
            swap(deposit.clone(), &stable_vault_pda(), &insurance_vault_pda()),
            ReserveError::AccountMismatch.into(),
        ),
        (
            swap(deposit.clone(), &spl_token::ID, &TokenProgram::Token2022.id()),
            ErrorCode::ConstraintTokenTokenProgram.into(),
        ),
    ];
    for (ix, error) in cases {
        let ixs = [refresh.clone(), mark.clone(), ix];
        let f = refused_unchanged(
            &mut fx,
            &ixs,
            &[&d.key],
            &[position_pda(PositionKind::Deposit, &d.key.pubkey())],
        )
        .await;
        f.assert_error(2, buyback_reserve::ID, error);
    }
    fx.send_as(&d, &[refresh, mark, deposit]).await;
}

/// A depositor's withdrawal paid into one of the reserve's own vaults (the only account a
/// withdrawal does not constrain to its owner) is refused: the stable vault as its own
/// destination, and the other vaults by the config's addresses in the other instructions.
#[tokio::test]
async fn held_a_withdrawal_cannot_be_paid_into_a_vault_of_the_reserve() {
    let mut fx = ReserveFixture::new().await;
    let d = fx.depositor.clone();
    let requested = fx.position(PositionKind::Deposit, &d.key.pubkey()).await.shares / 10;
    fx.send_as(&d, &[request_exit_ix(&d.key.pubkey(), PositionKind::Deposit, requested)]).await;
    fx.env().warp_seconds(PARAMS.deposit_cooldown_secs as i64).await;
    let ix = swap(fx.withdraw_ix(&d, requested), &d.stable, &stable_vault_pda());
    let position = position_pda(PositionKind::Deposit, &d.key.pubkey());
    let f = refused_unchanged(&mut fx, &[ix], &[&d.key], &[position]).await;
    f.assert_error(0, buyback_reserve::ID, ErrorCode::ConstraintDuplicateMutableAccount);
    // into the insurance vault: the reserve pays it (a donation by the depositor to the
    // insurance pool that changes nobody's share), the book is kept exact
    let ix = swap(fx.withdraw_ix(&d, requested), &d.stable, &insurance_vault_pda());
    fx.send_as(&d, &[ix]).await;
    let book = fx.book().await;
    assert_eq!(book.insurance_cash, STAKE, "a donation is no insurance income");
    assert_eq!(fx.env().token_balance(stable_vault_pda()).await, book.cash);
    assert!(fx.env().token_balance(insurance_vault_pda()).await > book.insurance_cash);
}

/// Nobody withdraws, unstakes, requests or claims from another owner's position: every position
/// is derived from its signer, so the owner's position signed for by a thief fails its seeds.
#[tokio::test]
async fn held_nobody_exits_or_claims_from_another_owners_position() {
    let mut fx = ReserveFixture::new().await;
    fx.create_protocol_token(1_000_000_000_000).await;
    let (staker, tokens) = protocol_staker(&mut fx, 10_000_000).await;
    fees_in_the_vault(&mut fx, 1_000_000).await;
    distribute(&mut fx).await;
    let s = fx.staker.clone();
    let insurance_shares = fx.position(PositionKind::Insurance, &s.key.pubkey()).await.shares;
    fx.send_as(&s, &[request_exit_ix(&s.key.pubkey(), PositionKind::Insurance, insurance_shares)])
        .await;
    let who = staker.key.pubkey();
    fx.env()
        .send_ok(&[request_exit_ix(&who, PositionKind::Protocol, 10_000_000)], &[&staker.key])
        .await;
    fx.env().warp_seconds(PARAMS.stake_cooldown_secs as i64).await;
    fx.a.p.publish_all(INPUTS_BPS).await;
    let refresh = [fx.a.p.refresh_ix(), refresh_backing_ix(&fx.pool())];
    fx.env().send_ok(&refresh, &[]).await;

    let thief = fx.actor(0).await;
    let thief_tokens =
        fx.env().create_ata(TokenProgram::Classic, &protocol_mint_pda(), &thief.key.pubkey()).await;
    let t = thief.key.pubkey();
    let cases = [
        swap(
            resign(fx.unstake_insurance_ix(&s, insurance_shares), &s.key.pubkey(), &t),
            &s.stable,
            &thief.stable,
        ),
        swap(
            resign(unstake_protocol_ix(&who, &tokens, 10_000_000), &who, &t),
            &tokens,
            &thief_tokens,
        ),
        swap(
            resign(claim_rewards_ix(&who, &staker.stable, &fx.stable_mint()), &who, &t),
            &staker.stable,
            &thief.stable,
        ),
        resign(request_exit_ix(&who, PositionKind::Protocol, 0), &who, &t),
    ];
    let extra = [
        position_pda(PositionKind::Insurance, &s.key.pubkey()),
        position_pda(PositionKind::Protocol, &who),
        stake_vault_pda(),
        thief.stable,
        thief_tokens,
    ];
    for ix in cases {
        let f = refused_unchanged(&mut fx, &[ix], &[&thief.key], &extra).await;
        f.assert_error(0, buyback_reserve::ID, ErrorCode::ConstraintSeeds);
    }
    // and the owners can
    let ix = fx.unstake_insurance_ix(&s, insurance_shares);
    fx.send_as(&s, &[ix]).await;
    fx.env().send_ok(&[unstake_protocol_ix(&who, &tokens, 10_000_000)], &[&staker.key]).await;
    assert!(claim_or_nothing(&mut fx, &staker).await > 0);
}

/// The admin's instructions refuse the guardian and a stranger; the guardian pauses but does
/// not unpause.
#[tokio::test]
async fn held_admin_instructions_refuse_the_guardian_and_strangers() {
    let mut fx = ReserveFixture::new().await;
    fx.create_protocol_token(1_000_000_000_000).await;
    let pool = fx.a.p.r.active_pool(1).await.0;
    let admin = fx.a.p.r.admin.insecure_clone();
    fx.env()
        .send_ok(
            &[pricer::create_pool_pricing_ix(
                &admin.pubkey(),
                &pool,
                &grade_pda(1),
                &feed_pda(&BENCHMARK),
                PRICING,
            )],
            &[&admin],
        )
        .await;
    let guardian = fx.a.p.r.guardian.insecure_clone();
    let stranger = fx.env().funded_keypair(1_000_000_000).await;
    let open = buyback_reserve::state::ReserveParams {
        max_discount_bps: 0,
        min_discount_bps: [0; 5],
        sale_budget: u64::MAX,
        ..PARAMS
    };
    for kp in [&guardian, &stranger] {
        let k = kp.pubkey();
        let mine = fx.env().create_ata(TokenProgram::Classic, &protocol_mint_pda(), &k).await;
        let ixs = [
            set_params_ix(&k, open),
            list_pool_ix(&k, &pool, u64::MAX),
            set_pool_cap_ix(&k, &fx.pool(), u64::MAX),
            transfer_treasury_ix(&k, &mine, 1),
        ];
        for ix in ixs {
            let f = refused_unchanged(&mut fx, &[ix], &[kp], &[treasury_pda(), mine]).await;
            f.assert_error(0, buyback_reserve::ID, ErrorCode::ConstraintHasOne);
        }
    }
    fx.env().send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    let ix = set_paused_ix(&guardian.pubkey(), false);
    let f = refused_unchanged(&mut fx, &[ix], &[&guardian], &[]).await;
    f.assert_error(0, buyback_reserve::ID, ReserveError::Unauthorized);
}

/// The protocol token's supply is fixed: its mint authority was revoked at creation, so nobody
/// (the admin included) mints more or takes the authority back.
#[tokio::test]
async fn held_nobody_mints_more_protocol_tokens() {
    let mut fx = ReserveFixture::new().await;
    let supply = 1_000_000_000_000;
    fx.create_protocol_token(supply).await;
    let admin = fx.a.p.r.admin.insecure_clone();
    let mint_to = spl_token::instruction::mint_to(
        &spl_token::ID,
        &protocol_mint_pda(),
        &treasury_pda(),
        &admin.pubkey(),
        &[],
        1,
    )
    .unwrap();
    let take_back = spl_token::instruction::set_authority(
        &spl_token::ID,
        &protocol_mint_pda(),
        Some(&admin.pubkey()),
        spl_token::instruction::AuthorityType::MintTokens,
        &admin.pubkey(),
        &[],
    )
    .unwrap();
    for ix in [mint_to, take_back] {
        let f = fx.env().send_expect_failure(&[ix], &[&admin]).await;
        assert_eq!(
            rwa_testkit::failing_program(&f.logs),
            Some(spl_token::ID),
            "the token program refuses: {:?}",
            f.error
        );
    }
    assert_eq!(fx.env().mint_supply(protocol_mint_pda()).await, supply);
    // a second creation cannot make a new mint either (the PDA exists)
    let ix = create_protocol_token_ix(&admin.pubkey(), supply);
    fx.env().send_expect_failure(&[ix], &[&admin]).await;
    assert_eq!(fx.env().mint_supply(protocol_mint_pda()).await, supply);
}

/// Rounding dust: a sale of 1 or 2 units (worth 0 or 1 base unit) pays nothing and is refused;
/// a bid sale of 1 anchor token pays nothing and is refused, 2 pay 1; a deposit of 1 base unit
/// buys about 1,000 shares, and 1 share withdraws nothing (refused); a round trip of 1 base unit
/// returns at most it.
#[tokio::test]
async fn held_dust_sales_deposits_and_withdrawals_take_nothing() {
    let mut fx = ReserveFixture::new().await;
    let holder = fx.a.holder.insecure_clone();
    for units in [1, 2] {
        let ixs = fx.refresh_and_sell_ixs(units, 0);
        let f = refused_unchanged(&mut fx, &ixs, &[&holder], &[]).await;
        f.assert_error(1, buyback_reserve::ID, ReserveError::RoundsToZero);
    }
    // the smallest sales that pay: at most their value less the 1% floor, rounded up
    sell(&mut fx, 300).await;
    let book = fx.book().await;
    let value = book.holdings[0].value;
    assert!(
        DEPOSIT - book.cash <= value - value.div_ceil(100),
        "{} for {value}",
        DEPOSIT - book.cash
    );

    // the bid
    let ixs = fx.a.exchange_ixs(FACE / 100, 1);
    fx.as_holder(&ixs).await;
    let ix = fx.sell_anchor_ix(1, 0);
    let f = refused_unchanged(&mut fx, &[ix], &[&holder], &[]).await;
    f.assert_error(0, buyback_reserve::ID, ReserveError::RoundsToZero);
    // 2 tokens: the PSM's fee (rounded up) takes one, and floor(1 x 0.997) is nothing
    let ix = fx.sell_anchor_ix(2, 0);
    let f = refused_unchanged(&mut fx, &[ix], &[&holder], &[]).await;
    f.assert_error(0, buyback_reserve::ID, ReserveError::RoundsToZero);
    let before = fx.holder_stable().await;
    let ix = fx.sell_anchor_ix(3, 0);
    fx.as_holder(&[ix]).await;
    assert_eq!(fx.holder_stable().await - before, 1, "floor((3 - 1) x 0.997)");

    // deposits and withdrawals of dust
    let dust = fx.actor(10).await;
    let [refresh, mark] = fx.mark_ixs();
    let val = fx.valuation();
    let currency = fx.stable_mint();
    let ix = deposit_ix(&dust.key.pubkey(), &dust.stable, &currency, &val, 1, 0);
    fx.send_as(&dust, &[refresh.clone(), mark.clone(), ix]).await;
    let minted = fx.position(PositionKind::Deposit, &dust.key.pubkey()).await.shares;
    assert!(minted > 0 && minted <= 1_000, "{minted}");
    let who = dust.key.pubkey();
    fx.send_as(&dust, &[request_exit_ix(&who, PositionKind::Deposit, minted)]).await;
    fx.env().warp_seconds(PARAMS.deposit_cooldown_secs as i64).await;
    fx.a.p.publish_all(INPUTS_BPS).await;
    // the reserve holds anchor tokens now: value-anchor's backing is refreshed too
    let [refresh, mark] = fx.mark_ixs();
    let backing = refresh_backing_ix(&fx.pool());
    let ix = withdraw_ix(&who, &dust.stable, &currency, &val, 1, 0);
    let position = position_pda(PositionKind::Deposit, &who);
    let ixs = [refresh.clone(), backing.clone(), mark.clone(), ix];
    let f = refused_unchanged(&mut fx, &ixs, &[&dust.key], &[position]).await;
    f.assert_error(3, buyback_reserve::ID, ReserveError::RoundsToZero);
    let before = fx.stable_of(&dust).await;
    let ix = withdraw_ix(&who, &dust.stable, &currency, &val, minted, 0);
    match fx.env().send(&[refresh, backing, mark, ix], &[&dust.key]).await {
        Ok(_) => assert!(fx.stable_of(&dust).await - before <= 1, "a round trip never gains"),
        Err(f) => f.assert_error(3, buyback_reserve::ID, ReserveError::RoundsToZero),
    }
    assert_vaults_match_the_book(&mut fx).await;
}

/// A just-in-time depositor cannot leave in the transaction it entered (no exit requested), nor
/// right after requesting one (the cooldown): it carries the reserve's risk for the cooldown.
#[tokio::test]
async fn held_a_just_in_time_deposit_cannot_leave_before_its_cooldown() {
    let mut fx = ReserveFixture::new().await;
    sell(&mut fx, UNITS).await;
    let jit = fx.actor(10 * DEPOSIT).await;
    let who = jit.key.pubkey();
    let [refresh, mark] = fx.mark_ixs();
    let deposit = fx.deposit_ix(&jit, 10 * DEPOSIT);
    let withdraw = fx.withdraw_ix(&jit, 1_000_000);
    let ixs = [refresh.clone(), mark.clone(), deposit.clone(), withdraw.clone()];
    let f = fx.env().send_expect_failure(&ixs, &[&jit.key]).await;
    f.assert_error(3, buyback_reserve::ID, ReserveError::NoExitRequested);
    let request = request_exit_ix(&who, PositionKind::Deposit, 1_000_000);
    let ixs = [refresh, mark, deposit, request, withdraw];
    let f = fx.env().send_expect_failure(&ixs, &[&jit.key]).await;
    f.assert_error(4, buyback_reserve::ID, ReserveError::CooldownActive);
    assert_eq!(fx.stable_of(&jit).await, 10 * DEPOSIT);
}

/// The insurance cannot be left ahead of a loss the chain already shows: a flow of an accepted
/// pool past due and unpaid freezes exits even before the servicer marks the pool Late; and
/// the staker cannot dodge the freeze by leaving the pool's account out or naming another.
#[tokio::test]
async fn held_insurance_exits_freeze_on_an_overdue_flow_before_it_is_marked_late() {
    let mut fx = ReserveFixture::new().await;
    let s = fx.staker.clone();
    let shares = fx.position(PositionKind::Insurance, &s.key.pubkey()).await.shares;
    let first_due = pool_params(fx.a.p.r.now).schedule[0].due_ts;
    fx.env().set_unix_timestamp(first_due - PARAMS.stake_cooldown_secs as i64 - 60).await;
    fx.send_as(&s, &[request_exit_ix(&s.key.pubkey(), PositionKind::Insurance, shares)]).await;
    fx.a.p.at_first_due().await;
    let refresh = [fx.a.p.refresh_ix(), refresh_backing_ix(&fx.pool())];
    fx.env().send_ok(&refresh, &[]).await;
    assert_eq!(fx.pool_state().await.status, receivables::state::PoolStatus::Active);
    let position = position_pda(PositionKind::Insurance, &s.key.pubkey());
    let ix = fx.unstake_insurance_ix(&s, shares);
    let f = refused_unchanged(&mut fx, &[ix], &[&s.key], &[position]).await;
    f.assert_error(0, buyback_reserve::ID, ReserveError::ExitsFrozen);
    let currency = fx.stable_mint();
    for pools in [vec![], vec![vault_pda(&fx.pool())]] {
        let ix = unstake_insurance_ix(&s.key.pubkey(), &s.stable, &currency, &pools, shares, 0);
        let f = refused_unchanged(&mut fx, &[ix], &[&s.key], &[position]).await;
        f.assert_error(0, buyback_reserve::ID, ReserveError::PoolAccountsMissing);
    }
    // value-anchor's backing as a look-alike
    let copy = look_alike(&mut fx, va::backing_pda(), value_anchor::ID).await;
    let ix = swap(fx.unstake_insurance_ix(&s, shares), &va::backing_pda(), &copy);
    let f = refused_unchanged(&mut fx, &[ix], &[&s.key], &[position]).await;
    f.assert_error(0, buyback_reserve::ID, ErrorCode::ConstraintSeeds);
}

/// The waterfall's cover: a second cover finds no shortfall (value-anchor refuses); the cover's
/// unchecked CPI accounts are checked by value-anchor (look-alikes of its config and backing,
/// a stranger's account as its stable reserve), the vault it pays from by the reserve, and the
/// program it calls is value-anchor.
#[tokio::test]
async fn held_a_cover_pays_only_value_anchors_shortfall_once_through_its_own_accounts() {
    let mut fx = ReserveFixture::new().await;
    let ixs = fx.a.exchange_ixs(FACE / 100, 1);
    fx.as_holder(&ixs).await;
    fx.a.default_and_refresh().await;
    let need = shortfall(&fx.a.backing().await);
    assert!(need > 0 && need < STAKE);
    let backing_copy = look_alike(&mut fx, va::backing_pda(), value_anchor::ID).await;
    let backing_foreign = look_alike(&mut fx, va::backing_pda(), receivables::ID).await;
    let config_copy = look_alike(&mut fx, va::config_pda(), value_anchor::ID).await;
    let cover = fx.cover_ix();
    let va_cases: Vec<(Instruction, anchor_lang::error::Error)> = vec![
        (swap(cover.clone(), &va::backing_pda(), &backing_copy), ErrorCode::ConstraintSeeds.into()),
        (
            swap(cover.clone(), &va::backing_pda(), &backing_foreign),
            ErrorCode::AccountOwnedByWrongProgram.into(),
        ),
        (swap(cover.clone(), &va::config_pda(), &config_copy), ErrorCode::ConstraintSeeds.into()),
        (
            swap(cover.clone(), &va::stable_reserve_pda(), &fx.a.holder_stable),
            AnchorTokenError::AccountMismatch.into(),
        ),
    ];
    for (ix, error) in va_cases {
        let f = refused_unchanged(&mut fx, &[ix], &[], &[]).await;
        f.assert_error(0, value_anchor::ID, error);
    }
    let ix = swap(cover.clone(), &insurance_vault_pda(), &stable_vault_pda());
    let f = refused_unchanged(&mut fx, &[ix], &[], &[]).await;
    f.assert_error(0, buyback_reserve::ID, ReserveError::AccountMismatch);
    let ix = swap(cover.clone(), &value_anchor::ID, &receivables::ID);
    let f = refused_unchanged(&mut fx, &[ix], &[], &[]).await;
    f.assert_error(0, buyback_reserve::ID, ErrorCode::InvalidProgramId);

    fx.env().send_ok(std::slice::from_ref(&cover), &[]).await;
    assert_eq!(fx.book().await.insurance_cash, STAKE - need);
    let f = refused_unchanged(&mut fx, &[cover], &[], &[]).await;
    f.assert_error(0, value_anchor::ID, AnchorTokenError::NoShortfall);
}

/// A wiped-out generation stays void: its staker, with an exit requested before the wipe-out,
/// stakes again; only the new stake counts, the old request is gone, and the old shares can
/// neither be requested nor unstaked.
#[tokio::test]
async fn held_old_insurance_shares_never_count_again_after_a_wipe_out() {
    let mut fx = ReserveFixture::new().await;
    let s = fx.staker.clone();
    let old = fx.position(PositionKind::Insurance, &s.key.pubkey()).await.shares;
    fx.send_as(&s, &[request_exit_ix(&s.key.pubkey(), PositionKind::Insurance, old)]).await;
    let ixs = fx.a.exchange_ixs(FACE / 10, 1);
    fx.as_holder(&ixs).await;
    fx.a.default_and_refresh().await;
    let cover = fx.cover_ix();
    fx.env().send_ok(&[cover], &[]).await;
    assert_eq!(fx.book().await.insurance_generation, 1);

    // a newcomer and the old staker stake the same amount in the new generation
    let newcomer = fx.actor(STAKE).await;
    let ix = fx.stake_ix(&newcomer, STAKE, 0);
    fx.send_as(&newcomer, &[ix]).await;
    let ix = fx.stake_ix(&s, STAKE, 0);
    fx.send_as(&s, &[ix]).await;
    let mine = fx.position(PositionKind::Insurance, &s.key.pubkey()).await;
    let theirs = fx.position(PositionKind::Insurance, &newcomer.key.pubkey()).await;
    assert!(
        mine.shares <= theirs.shares + 1,
        "no old share came back: {} vs {}",
        mine.shares,
        theirs.shares
    );
    assert_eq!((mine.exiting, mine.exit_requested_at, mine.generation), (0, 0, 1));
    let book = fx.book().await;
    assert_eq!(book.insurance_shares, mine.shares + theirs.shares);

    // the old request is gone, and more than the new shares cannot be requested
    let ix = request_exit_ix(&s.key.pubkey(), PositionKind::Insurance, mine.shares + 1);
    fx.env().send_expect_error(&[ix], &[&s.key], ReserveError::InvalidAmount).await;
}

/// The anchor-token cranks' unchecked CPI accounts: look-alikes of value-anchor's config (owned
/// by another program: the reserve refuses it before reading it) and backing (owned by
/// value-anchor at another address: value-anchor's seeds refuse it), a stranger's account as
/// value-anchor's stable reserve, the reserve's vaults swapped for the holder's.
#[tokio::test]
async fn held_redeem_anchor_refuses_substituted_accounts() {
    let mut fx = ReserveFixture::new().await;
    reserve_holds_anchor(&mut fx, FACE / 10, FACE / 20, 10_000_000_000).await;
    let config_foreign = look_alike(&mut fx, va::config_pda(), receivables::ID).await;
    let backing_copy = look_alike(&mut fx, va::backing_pda(), value_anchor::ID).await;
    let backing_foreign = look_alike(&mut fx, va::backing_pda(), receivables::ID).await;
    let redeem = fx.redeem_anchor_ix();
    let cases: Vec<(Instruction, Pubkey, anchor_lang::error::Error)> = vec![
        (
            swap(redeem.clone(), &va::config_pda(), &config_foreign),
            buyback_reserve::ID,
            ReserveError::AccountMismatch.into(),
        ),
        (
            swap(redeem.clone(), &va::backing_pda(), &backing_foreign),
            buyback_reserve::ID,
            ReserveError::AccountMismatch.into(),
        ),
        (
            swap(redeem.clone(), &va::backing_pda(), &backing_copy),
            value_anchor::ID,
            ErrorCode::ConstraintSeeds.into(),
        ),
        (
            swap(redeem.clone(), &va::stable_reserve_pda(), &fx.a.holder_stable),
            value_anchor::ID,
            AnchorTokenError::AccountMismatch.into(),
        ),
        (
            swap(redeem.clone(), &stable_vault_pda(), &fx.a.holder_stable),
            buyback_reserve::ID,
            ReserveError::AccountMismatch.into(),
        ),
        (
            swap(redeem.clone(), &anchor_vault_pda(), &fx.a.holder_anchor),
            buyback_reserve::ID,
            ReserveError::AccountMismatch.into(),
        ),
    ];
    for (ix, program, error) in cases {
        let f = refused_unchanged(&mut fx, &[ix], &[], &[]).await;
        f.assert_error(0, program, error);
    }
    fx.env().send_ok(&[redeem], &[]).await;
    assert_eq!(fx.book().await.anchor_held, 0);
}

/// The bid with substituted accounts: look-alikes of value-anchor's config and backing (owned
/// by value-anchor at another address: the seeds refuse them), the reserve's anchor vault as
/// the seller's (duplicate), another anchor account as the reserve's vault, the anchor mint
/// swapped for the stablecoin (its accounts refused as not of the anchor token's program).
#[tokio::test]
async fn held_the_bid_refuses_substituted_accounts() {
    let mut fx = ReserveFixture::new().await;
    let ixs = fx.a.exchange_ixs(FACE / 100, 1);
    fx.as_holder(&ixs).await;
    let backing_copy = look_alike(&mut fx, va::backing_pda(), value_anchor::ID).await;
    let config_copy = look_alike(&mut fx, va::config_pda(), value_anchor::ID).await;
    let other_anchor = fx
        .env()
        .create_ata(TokenProgram::Token2022, &va::anchor_mint_pda(), &Pubkey::new_unique())
        .await;
    let holder = fx.a.holder.insecure_clone();
    let bid = fx.sell_anchor_ix(1_000_000_000, 0);
    let cases: Vec<(Instruction, anchor_lang::error::Error)> = vec![
        (swap(bid.clone(), &va::backing_pda(), &backing_copy), ErrorCode::ConstraintSeeds.into()),
        (swap(bid.clone(), &va::config_pda(), &config_copy), ErrorCode::ConstraintSeeds.into()),
        (
            swap(bid.clone(), &fx.a.holder_anchor, &anchor_vault_pda()),
            ErrorCode::ConstraintDuplicateMutableAccount.into(),
        ),
        (
            swap(bid.clone(), &anchor_vault_pda(), &other_anchor),
            ReserveError::AccountMismatch.into(),
        ),
        (
            swap(
                swap(
                    swap(bid.clone(), &fx.a.holder_stable, &fx.depositor.stable),
                    &fx.a.holder_anchor,
                    &fx.a.holder_stable,
                ),
                &va::anchor_mint_pda(),
                &fx.stable_mint(),
            ),
            // a stablecoin account (SPL Token) as the seller's anchor account (Token-2022)
            ErrorCode::ConstraintTokenTokenProgram.into(),
        ),
    ];
    for (ix, error) in cases {
        let f = refused_unchanged(&mut fx, &[ix], &[&holder], &[other_anchor]).await;
        f.assert_error(0, buyback_reserve::ID, error);
    }
    fx.as_holder(&[bid]).await;
    assert_eq!(fx.book().await.anchor_held, 1_000_000_000);
}

/// The in-kind cranks: the claim at another nonce or under another holder is refused by
/// value-anchor's seeds; `claim_anchor_units` refuses a stranger's account as value-anchor's
/// collateral (value-anchor's listing names it), the holder's unit account as the reserve's
/// (the reserve's listing names it), and the fixture holder's own claim as the reserve's.
#[tokio::test]
async fn held_in_kind_cranks_refuse_substituted_claims_and_accounts() {
    let mut fx = ReserveFixture::new().await;
    reserve_holds_anchor(&mut fx, FACE / 10, 0, 20_000_000_000).await;
    let payer = fx.env().funded_keypair(1_000_000_000).await;
    let currency = fx.stable_mint();
    let accepted = fx.a.accepted.clone();
    for claim in [va::claim_pda(&config_pda(), 5), va::claim_pda(&payer.pubkey(), 0)] {
        let ix = redeem_anchor_in_kind_ix(&payer.pubkey(), &currency, &accepted, 0);
        let ix = swap(ix, &va::claim_pda(&config_pda(), 0), &claim);
        let f = refused_unchanged(&mut fx, &[ix], &[&payer], &[claim]).await;
        f.assert_error(0, value_anchor::ID, ErrorCode::ConstraintSeeds);
    }
    let ix = redeem_anchor_in_kind_ix(&payer.pubkey(), &currency, &accepted, 0);
    fx.env().send_ok(&[ix], &[&payer]).await;
    assert!(fx.book().await.claim_open);

    // the fixture holder opens its own in-kind claim at nonce 0
    let ix = fx.a.in_kind_ix(0, 1_000_000_000);
    fx.as_holder(&[ix]).await;
    let pool = fx.pool();
    let reserve_claim = va::claim_pda(&config_pda(), 0);
    let holder_claim = va::claim_pda(&fx.a.holder.pubkey(), 0);
    let claim = claim_anchor_units_ix(&pool, 0);
    let extra = [reserve_claim, holder_claim, va::collateral_pda(&pool)];
    let ix = swap(claim.clone(), &reserve_claim, &holder_claim);
    let f = refused_unchanged(&mut fx, &[ix], &[], &extra).await;
    f.assert_error(0, value_anchor::ID, ErrorCode::ConstraintSeeds);
    let ix = swap(claim.clone(), &va::collateral_pda(&pool), &fx.a.holder_units);
    let f = refused_unchanged(&mut fx, &[ix], &[], &extra).await;
    f.assert_error(0, value_anchor::ID, AnchorTokenError::AccountMismatch);
    let ix = swap(claim.clone(), &units_vault_pda(&pool), &fx.a.holder_units);
    let f = refused_unchanged(&mut fx, &[ix], &[], &extra).await;
    f.assert_error(0, buyback_reserve::ID, ReserveError::AccountMismatch);

    fx.env().send_ok(&[claim], &[]).await;
    assert!(!fx.book().await.claim_open);
}

/// `collect` with substituted accounts: a stranger's account as the pool's vault, a look-alike
/// of the receivables config, another listed pool's units vault, a stranger's account as the
/// stable vault.
#[tokio::test]
async fn held_collect_refuses_substituted_accounts() {
    let mut fx = ReserveFixture::new().await;
    let other = second_listed_pool(&mut fx).await;
    sell(&mut fx, UNITS).await;
    fx.repay_all().await;
    let pool = fx.pool();
    let config_copy = look_alike(&mut fx, registry::config_pda(), receivables::ID).await;
    let collect = collect_ix(&pool, &fx.stable_mint());
    let cases: Vec<(Instruction, Pubkey, anchor_lang::error::Error)> = vec![
        (
            swap(collect.clone(), &vault_pda(&pool), &fx.a.holder_stable),
            buyback_reserve::ID,
            ReserveError::AccountMismatch.into(),
        ),
        (
            swap(collect.clone(), &registry::config_pda(), &config_copy),
            receivables::ID,
            ErrorCode::ConstraintSeeds.into(),
        ),
        (
            swap(collect.clone(), &units_vault_pda(&pool), &units_vault_pda(&other)),
            buyback_reserve::ID,
            ReserveError::AccountMismatch.into(),
        ),
        (
            swap(collect.clone(), &stable_vault_pda(), &fx.a.holder_stable),
            buyback_reserve::ID,
            ReserveError::AccountMismatch.into(),
        ),
        (
            swap(collect.clone(), &pool, &other),
            buyback_reserve::ID,
            ErrorCode::ConstraintSeeds.into(),
        ),
    ];
    for (ix, program, error) in cases {
        let f = refused_unchanged(&mut fx, &[ix], &[], &[vault_pda(&pool)]).await;
        f.assert_error(0, program, error);
    }
    fx.env().send_ok(&[collect], &[]).await;
    assert_eq!(fx.book().await.holdings[0].units, 0);
}

/// The fee split and the reward claim pay only into and out of the config's vaults.
#[tokio::test]
async fn held_fees_and_rewards_move_only_between_the_configs_vaults() {
    let mut fx = ReserveFixture::new().await;
    fx.create_protocol_token(1_000_000_000_000).await;
    let (staker, _) = protocol_staker(&mut fx, 10_000_000).await;
    fees_in_the_vault(&mut fx, 1_000_000).await;
    let distribute_ix = distribute_fees_ix(&fx.stable_mint());
    for vault in [stable_vault_pda(), insurance_vault_pda(), rewards_vault_pda()] {
        let ix = swap(distribute_ix.clone(), &vault, &fx.a.holder_stable);
        let f = refused_unchanged(&mut fx, &[ix], &[], &[]).await;
        f.assert_error(0, buyback_reserve::ID, ReserveError::AccountMismatch);
    }
    distribute(&mut fx).await;
    let claim = claim_rewards_ix(&staker.key.pubkey(), &staker.stable, &fx.stable_mint());
    let ix = swap(claim.clone(), &rewards_vault_pda(), &stable_vault_pda());
    let position = position_pda(PositionKind::Protocol, &staker.key.pubkey());
    let f = refused_unchanged(&mut fx, &[ix], &[&staker.key], &[position]).await;
    f.assert_error(0, buyback_reserve::ID, ReserveError::AccountMismatch);
    let ix = swap(claim, &staker.stable, &rewards_vault_pda());
    let f = refused_unchanged(&mut fx, &[ix], &[&staker.key], &[position]).await;
    f.assert_error(0, buyback_reserve::ID, ErrorCode::ConstraintDuplicateMutableAccount);
    assert!(claim_or_nothing(&mut fx, &staker).await > 0);
}

/// Token-2022 on the one mint that comes from outside, the stablecoin: were value-anchor's
/// config to name a Token-2022 reserve mint carrying a permanent delegate or a close authority
/// (value-anchor screens it itself; here its config is forged), the reserve's own screen
/// refuses it at `initialize`.
#[tokio::test]
async fn held_initialize_screens_the_stablecoin_for_token_2022_extensions() {
    for extension in
        [MintExtension::PermanentDelegate(Pubkey::new_unique()), MintExtension::MintCloseAuthority]
    {
        let mut a = va::AnchorFixture::new().await;
        let admin = a.p.r.admin.insecure_clone();
        a.p.r.env.set_upgrade_authority(&buyback_reserve::ID, &admin.pubkey());
        let env = &mut a.p.r.env;
        let stable = env.create_mint_with_extensions(6, &admin.pubkey(), &[extension]).await;
        let anchor_mint = env.create_mint(TokenProgram::Token2022, 6, &admin.pubkey()).await;
        let mut account = env.account(va::config_pda()).await.unwrap();
        let mut config: AnchorConfig =
            anchor_lang::AccountDeserialize::try_deserialize(&mut account.data.as_slice()).unwrap();
        config.reserve_mint = stable;
        config.anchor_mint = anchor_mint;
        config.token_program = TokenProgram::Token2022.id();
        let mut data = vec![];
        anchor_lang::AccountSerialize::try_serialize(&config, &mut data).unwrap();
        account.data[..data.len()].copy_from_slice(&data);
        env.set_account(va::config_pda(), account);

        let init =
            buyback_reserve::InitializeParams { guardian: a.p.r.guardian.pubkey(), params: PARAMS };
        let program_data = program_data_address(&buyback_reserve::ID);
        let ix = initialize_ix(&admin.pubkey(), &program_data, &stable, init);
        let ix = swap(
            swap(ix, &va::anchor_mint_pda(), &anchor_mint),
            &spl_token::ID,
            &TokenProgram::Token2022.id(),
        );
        a.p.r.env.send_expect_error(&[ix], &[&admin], GuardError::UnsafeMintExtension).await;
        assert!(a.p.r.env.account(config_pda()).await.is_none());
    }
}
