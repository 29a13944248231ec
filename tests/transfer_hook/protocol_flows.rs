//! The protocol's own flows keep working for permissioned units: exchange into value-anchor
//! (units into its collateral, owned by its config PDA, always allowed), in-kind redemption
//! out of it (units to the redeeming holder, who must be attested), sale to the reserve and
//! the reserve's in-kind claim (units into its vault, owned by its config PDA, always
//! allowed), redemption at maturity (a burn, which runs no hook), and the hook's list of
//! protocol accounts matches the programs' PDAs.
use rwa_testkit::{
    anchor_token::{
        self as va, accept_pool_with_ix, claim_in_kind_with_ix, claim_pda, redeem_in_kind_ix,
        AnchorFixture, ExchangeAccounts, POOL_PARAMS,
    },
    prelude::*,
    pricer::{RefreshAccounts, BENCHMARK, GRADE_FEEDS},
    registry::{pool_params, redeem_with_ix, unit_mint_pda, FACE},
    reserve::{self as br, ReserveFixture, SellAccounts},
    spl_token_2022,
    transfer_hook::*,
};
use transfer_hook::errors::HookError;
use value_anchor::state::{Backing, InKindClaim};

use crate::transfers::Permissioned;

/// Units of the permissioned pool its holder takes in these flows.
const UNITS: u64 = 1_000_000_000;

#[test]
fn the_hooks_protocol_accounts_are_the_programs_config_pdas() {
    let va = Pubkey::find_program_address(&[value_anchor::seeds::CONFIG], &value_anchor::ID).0;
    let reserve =
        Pubkey::find_program_address(&[buyback_reserve::seeds::CONFIG], &buyback_reserve::ID).0;
    assert_eq!(transfer_hook::protocol::VALUE_ANCHOR_CONFIG, va);
    assert_eq!(transfer_hook::protocol::RESERVE_CONFIG, reserve);
    assert_eq!(transfer_hook::ID, rwa_guard::mint::PROTOCOL_TRANSFER_HOOK);
}

/// A permissioned pool (index 1, grade 1) beside the anchor fixture's classic pool, priced and
/// accepted as value-anchor collateral; its units trust `attestor`, the issuer holds them all.
struct Hooked {
    attestor: Keypair,
    pool: Pubkey,
    mint: Pubkey,
    issuer_units: Pubkey,
}

impl Hooked {
    async fn new(f: &mut AnchorFixture) -> Self {
        let attestor = f.p.r.init_hook().await;
        let (pool, issuer_units) = f.p.r.active_token_2022_pool(1, Some(&attestor)).await;
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
        Hooked { attestor, mint: unit_mint_pda(&pool), pool, issuer_units }
    }

    /// `refresh_rate` of the permissioned pool.
    fn refresh_ix(&self) -> Instruction {
        RefreshAccounts::new(&self.pool, 1, &BENCHMARK, &GRADE_FEEDS).ix()
    }

    /// A Token-2022 unit account of `owner`.
    async fn unit_account(&self, f: &mut AnchorFixture, owner: &Pubkey) -> Pubkey {
        f.p.r.env.create_ata(TokenProgram::Token2022, &self.mint, owner).await
    }

    /// The issuer's transfer of `amount` units to `to` (owned by `to_owner`).
    fn give_ix(
        &self,
        f: &AnchorFixture,
        to: &Pubkey,
        to_owner: &Pubkey,
        amount: u64,
    ) -> Instruction {
        let issuer = f.p.r.issuer.pubkey();
        hooked_transfer_ix(
            &self.mint,
            &self.issuer_units,
            to,
            to_owner,
            &issuer,
            &self.attestor.pubkey(),
            amount,
        )
    }

    /// The fixture's holder, attested, receives `UNITS` into a new unit account; returns it.
    async fn attested_holder_units(&self, f: &mut AnchorFixture) -> Pubkey {
        let holder = f.holder.pubkey();
        let units = self.unit_account(f, &holder).await;
        f.p.r.attest(&self.attestor, &holder).await;
        let give = self.give_ix(f, &units, &holder, UNITS);
        let issuer = f.p.r.issuer.insecure_clone();
        f.p.r.env.send_ok(&[give], &[&issuer]).await;
        units
    }

    /// The fixture holder's exchange of `units` from `holder_units` into value-anchor, with the
    /// hook's accounts (destination: value-anchor's collateral, owned by its config PDA).
    fn exchange_ixs(
        &self,
        f: &AnchorFixture,
        holder_units: &Pubkey,
        units: u64,
    ) -> [Instruction; 2] {
        let mut accounts =
            ExchangeAccounts::new(&f.holder.pubkey(), &self.pool, holder_units, &f.holder_anchor);
        accounts.accepted = f.accepted.clone();
        accounts.unit_token_program = spl_token_2022::ID;
        let exchange = with_transfer_hook_accounts(
            accounts.ix(units, 1),
            &self.mint,
            &self.attestor.pubkey(),
            &va::config_pda(),
        );
        [self.refresh_ix(), exchange]
    }

    /// `claim_in_kind` of the permissioned pool's units owed by `holder`'s claim `nonce`, with
    /// the hook's accounts for `holder` as the destination owner.
    fn claim_ix(&self, holder: &Pubkey, nonce: u64, holder_units: &Pubkey) -> Instruction {
        let ix =
            claim_in_kind_with_ix(holder, &self.pool, nonce, holder_units, &spl_token_2022::ID);
        with_transfer_hook_accounts(ix, &self.mint, &self.attestor.pubkey(), holder)
    }
}

#[tokio::test]
async fn permissioned_units_exchange_into_value_anchor_and_unattested_holders_cannot_receive() {
    let mut f = AnchorFixture::new().await;
    let h = Hooked::new(&mut f).await;
    let holder = f.holder.insecure_clone();
    let holder_units = h.unit_account(&mut f, &holder.pubkey()).await;
    let issuer = f.p.r.issuer.insecure_clone();
    // the holder is not attested yet: refused by the hook
    let give = h.give_ix(&f, &holder_units, &holder.pubkey(), UNITS);
    f.p.r
        .env
        .send_expect_error(std::slice::from_ref(&give), &[&issuer], HookError::NotAttested)
        .await;
    f.p.r.attest(&h.attestor, &holder.pubkey()).await;
    f.p.r.env.send_ok(&[give], &[&issuer]).await;

    let before = f.p.r.env.token_balance(f.holder_anchor).await;
    f.p.r.env.send_ok(&h.exchange_ixs(&f, &holder_units, UNITS), &[&holder]).await;
    assert_eq!(f.p.r.env.token_balance(holder_units).await, 0);
    assert_eq!(f.p.r.env.token_balance(va::collateral_pda(&h.pool)).await, UNITS);
    assert!(f.p.r.env.token_balance(f.holder_anchor).await > before);
}

/// In kind out of value-anchor: the claim pays the permissioned pool's units to an attested
/// holder through Token-2022's hook; a holder nobody attested is refused by name (the units
/// stay owed), and collects once attested.
#[tokio::test]
async fn in_kind_redemption_pays_permissioned_units_to_attested_holders_only() {
    let mut f = AnchorFixture::new().await;
    let h = Hooked::new(&mut f).await;
    let holder = f.holder.insecure_clone();
    let holder_units = h.attested_holder_units(&mut f).await;
    f.p.r.env.send_ok(&h.exchange_ixs(&f, &holder_units, UNITS), &[&holder]).await;
    let anchor = f.p.r.env.token_balance(f.holder_anchor).await;

    // the attested holder redeems a quarter of its anchor tokens in kind and claims the units
    let hk = holder.pubkey();
    let currency = f.p.r.currency;
    let ix =
        redeem_in_kind_ix(&hk, &currency, &f.holder_stable, &f.holder_anchor, &hk, 0, anchor / 4);
    f.p.r.env.send_ok(&[ix], &[&holder]).await;
    let claim: InKindClaim = f.p.r.env.anchor_account(claim_pda(&hk, 0)).await;
    let owed = claim.units_owed[1];
    assert!(owed > 0);
    assert_eq!(claim.units_owed[0], 0, "nothing of the classic pool is collateral");
    f.p.r.env.send_ok(&[h.claim_ix(&hk, 0, &holder_units)], &[&holder]).await;
    assert_eq!(f.p.r.env.token_balance(holder_units).await, owed);
    assert!(f.p.r.env.account(claim_pda(&hk, 0)).await.is_none(), "settled claims close");

    // an unattested holder of anchor tokens redeems in kind: its claim cannot pay it the units
    let eve = f.p.r.env.funded_keypair(1_000_000_000).await;
    let ek = eve.pubkey();
    let eve_anchor =
        f.p.r.env.create_ata(TokenProgram::Token2022, &va::anchor_mint_pda(), &ek).await;
    let eve_stable = f.p.r.env.create_ata(TokenProgram::Classic, &currency, &ek).await;
    let eve_units = h.unit_account(&mut f, &ek).await;
    let holder_anchor = f.holder_anchor;
    f.p.r.env.transfer_tokens(&holder_anchor, &eve_anchor, &holder, anchor / 4).await;
    let ix = redeem_in_kind_ix(&ek, &currency, &eve_stable, &eve_anchor, &ek, 0, anchor / 4);
    f.p.r.env.send_ok(&[ix], &[&eve]).await;
    let claim: InKindClaim = f.p.r.env.anchor_account(claim_pda(&ek, 0)).await;
    let owed = claim.units_owed[1];
    assert!(owed > 0);
    let claim_ix = h.claim_ix(&ek, 0, &eve_units);
    f.p.r
        .env
        .send_expect_error(std::slice::from_ref(&claim_ix), &[&eve], HookError::NotAttested)
        .await;
    assert_eq!(f.p.r.env.token_balance(eve_units).await, 0);
    let backing: Backing = f.p.r.env.anchor_account(va::backing_pda()).await;
    assert_eq!(backing.entries[1].reserved, owed, "still owed, still reserved");

    f.p.r.attest(&h.attestor, &ek).await;
    f.p.r.env.send_ok(&[claim_ix], &[&eve]).await;
    assert_eq!(f.p.r.env.token_balance(eve_units).await, owed);
    let backing: Backing = f.p.r.env.anchor_account(va::backing_pda()).await;
    assert_eq!(backing.entries[1].reserved, 0);
}

/// The reserve over the anchor fixture, with the permissioned pool also listed (its units
/// vault owned by the reserve's config PDA, which the hook always allows).
async fn reserve_with_permissioned_pool() -> (ReserveFixture, Hooked) {
    let mut fx = ReserveFixture::new().await;
    let h = Hooked::new(&mut fx.a).await;
    let admin = fx.a.p.r.admin.insecure_clone();
    let list = br::list_pool_with_ix(&admin.pubkey(), &h.pool, &spl_token_2022::ID, br::POOL_CAP);
    fx.env().send_ok(&[list], &[&admin]).await;
    (fx, h)
}

/// A sale of permissioned units to the reserve: the units reach the reserve's vault through
/// the hook (the vault's owner is a protocol account), the seller is paid.
#[tokio::test]
async fn permissioned_units_sell_to_the_reserve() {
    let (mut fx, h) = reserve_with_permissioned_pool().await;
    let holder_units = h.attested_holder_units(&mut fx.a).await;
    let sell = SellAccounts {
        seller: fx.a.holder.pubkey(),
        pool: h.pool,
        seller_units: holder_units,
        seller_stable: fx.a.holder_stable,
        stable_mint: fx.stable_mint(),
        unit_token_program: spl_token_2022::ID,
        token_program: rwa_testkit::spl_token::ID,
    };
    let units = UNITS / 2;
    let ix = with_transfer_hook_accounts(
        sell.ix(units, 1),
        &h.mint,
        &h.attestor.pubkey(),
        &br::config_pda(),
    );
    let stable = fx.holder_stable().await;
    fx.as_holder(&[h.refresh_ix(), ix]).await;
    assert_eq!(fx.env().token_balance(br::units_vault_pda(&h.pool)).await, units);
    assert_eq!(fx.env().token_balance(holder_units).await, UNITS - units);
    assert!(fx.holder_stable().await > stable);
    assert_eq!(fx.book().await.holdings[1].units, units);
}

/// The reserve's in-kind claim on value-anchor collects permissioned units into its vault:
/// value-anchor's collateral to the reserve's vault, both protocol accounts; a keeper builds
/// the claim with `Sdk::claim_anchor_units`.
#[tokio::test]
async fn the_reserves_in_kind_claim_collects_permissioned_units() {
    let (mut fx, h) = reserve_with_permissioned_pool().await;
    let holder_units = h.attested_holder_units(&mut fx.a).await;
    let ixs = h.exchange_ixs(&fx.a, &holder_units, UNITS);
    fx.as_holder(&ixs).await;
    let amount = fx.holder_anchor().await / 2;
    let ix = fx.sell_anchor_ix(amount, 0);
    fx.as_holder(&[h.refresh_ix(), va::refresh_backing_ix(&h.pool), ix]).await;
    assert_eq!(fx.book().await.anchor_held, amount);

    let payer = fx.env().funded_keypair(1_000_000_000).await;
    let currency = fx.stable_mint();
    let redeem = br::redeem_anchor_in_kind_ix(&payer.pubkey(), &currency, &fx.a.accepted, 0);
    fx.env().send_ok(&[redeem], &[&payer]).await;
    let claim: InKindClaim = fx.env().anchor_account(claim_pda(&br::config_pda(), 0)).await;
    let owed = claim.units_owed[1];
    assert!(owed > 0);

    // a keeper's claim through the SDK: the listing's token program and the hook's accounts
    // (the vault's owner is the reserve's config PDA) found from the chain
    let claim = fx.env().sdk().claim_anchor_units(&h.pool, 0).await.expect("claim");
    let by_hand = br::claim_anchor_units_with_ix(&h.pool, 0, &spl_token_2022::ID);
    let by_hand =
        with_transfer_hook_accounts(by_hand, &h.mint, &h.attestor.pubkey(), &br::config_pda());
    assert_eq!(claim, by_hand);
    fx.env().send_ok(&[claim], &[]).await;
    assert_eq!(fx.env().token_balance(br::units_vault_pda(&h.pool)).await, owed);
    let book = fx.book().await;
    assert_eq!(book.holdings[1].units, owed);
    assert!(!book.claim_open);
}

/// At maturity holders of permissioned units redeem them (a burn: no transfer, no hook) for
/// their share of the vault, attested or not by then; an unattested wallet still receives none.
#[tokio::test]
async fn permissioned_units_redeem_at_maturity() {
    let mut f = Permissioned::new().await;
    let (alice, alice_units) = f.attested_wallet().await;
    let (bob, bob_units) = f.wallet().await;
    let attestor = f.attestor.insecure_clone();
    let units = FACE / 4;
    let give = f.send_ix(&alice_units, &alice.pubkey(), units);
    let issuer = f.r.issuer.insecure_clone();
    f.r.env.send_ok(&[give], &[&issuer]).await;
    // the attestation lapses before maturity: redemption does not need it
    f.r.env.send_ok(&[revoke_ix(&attestor.pubkey(), &alice.pubkey())], &[&attestor]).await;

    let total: u64 = pool_params(f.r.now).schedule.iter().map(|p| p.amount).sum();
    let servicer = f.r.servicer.insecure_clone();
    f.r.env.send_ok(&[f.r.repay_ix(&f.pool, total)], &[&servicer]).await;
    let give = f.send_ix(&bob_units, &bob.pubkey(), 1);
    f.r.env.send_expect_error(&[give], &[&issuer], HookError::NotAttested).await;

    let currency = f.r.currency();
    let cash = f.r.env.create_ata(TokenProgram::Classic, &currency.mint, &alice.pubkey()).await;
    let vault = f.r.env.token_balance(rwa_testkit::registry::vault_pda(&f.pool)).await;
    let supply = f.r.env.mint_supply(f.mint).await;
    let expected = receivables::state::redemption_payout_floor(vault, supply, units).unwrap();
    let ix = redeem_with_ix(
        &alice.pubkey(),
        &f.pool,
        currency,
        TokenProgram::Token2022,
        &alice_units,
        &cash,
        units,
    );
    f.r.env.send_ok(&[ix], &[&alice]).await;
    assert_eq!(f.r.env.token_balance(cash).await, expected);
    assert_eq!(f.r.env.token_balance(alice_units).await, 0);
    assert_eq!(f.r.env.mint_supply(f.mint).await, supply - units);
}
