//! Commands against a cluster, per role, and the `show` readers: each reads what it needs
//! through the SDK, builds the instruction(s) from program state (no hand-written account
//! lists), sends them signed by the operator's keypair, and returns an outcome that prints as a
//! table or as JSON. Generic over [`Chain`], so the same code runs against an RPC URL (the
//! binary) and against the embedded runtime (the tests).
use anchor_lang::prelude::Pubkey;
use receivables::{state::AssetClass, CreatePoolParams, ScheduledPayment};
use rwa_sdk::{
    anchor_token, oracle, preview::min_out, pricer, registry, reserve, transfer_hook as hook,
    Chain, Sdk, SdkError,
};
use serde::Serialize;
use solana_sdk::signature::{Keypair, Signer};
use transfer_hook::state::AttestorStatus;

use crate::format;

/// Which program a pause command is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Program {
    Oracle,
    Receivables,
    Pricer,
    ValueAnchor,
    Reserve,
}

/// One operator action; `Show*` only read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    ShowPool {
        pool: Pubkey,
    },
    ShowBacking,
    ShowReserve,
    ShowFeed {
        feed_id: [u8; 32],
    },
    /// Issuer: a Draft pool `index` from a schedule (created with the first flows, the rest
    /// appended in further transactions), serviced by `servicer`, in `currency`; `face_value`
    /// defaults to the schedule's sum.
    CreatePool {
        index: u32,
        servicer: Pubkey,
        currency: Pubkey,
        grade: u8,
        asset_class: AssetClass,
        face_value: Option<u64>,
        unit_size: u64,
        uri: String,
        doc_hash: [u8; 32],
        flows: Vec<(i64, u64)>,
        /// Token-2022 units with on-chain metadata (name and symbol) when given, and
        /// `attestor` making them permissioned (only holders it attests may receive them);
        /// classic SPL Token units without metadata when `None`.
        units: Option<UnitChoice>,
    },
    /// Issuer: activates a Draft pool; every unit goes to the issuer's own unit account (for a
    /// permissioned pool the issuer must be attested by the pool's attestor).
    ActivatePool {
        pool: Pubkey,
    },
    /// Servicer: a repayment or a recovery of `amount` from the servicer's own token account of
    /// the pool's currency.
    Repay {
        pool: Pubkey,
        amount: u64,
    },
    Recover {
        pool: Pubkey,
        amount: u64,
    },
    MarkLate {
        pool: Pubkey,
    },
    DeclareDefault {
        pool: Pubkey,
    },
    WriteDown {
        pool: Pubkey,
        amount: u64,
    },
    /// Servicer: closes a pool with nothing outstanding (or written off).
    ClosePool {
        pool: Pubkey,
    },
    /// Admin: approve an issuer (with limits) or a servicer.
    ApproveIssuer {
        issuer: Pubkey,
        max_pools: u32,
        max_face_value: u64,
    },
    ApproveServicer {
        servicer: Pubkey,
    },
    /// Admin: value-anchor accepts a priced pool as collateral; the reserve lists it.
    AcceptPool {
        pool: Pubkey,
        params: value_anchor::state::PoolParams,
    },
    ListPool {
        pool: Pubkey,
        cap: u64,
    },
    /// Publisher: an observation of `value_bps` (confidence `confidence_bps`) now.
    Submit {
        feed_id: [u8; 32],
        value_bps: u64,
        confidence_bps: u64,
    },
    /// Admin or guardian: pause; admin: unpause.
    SetPaused {
        program: Program,
        paused: bool,
    },
    /// Holder: exits and capital, each composed with the refreshes it needs.
    Exchange {
        pool: Pubkey,
        units: u64,
        slippage_bps: u16,
    },
    Sell {
        pool: Pubkey,
        units: u64,
        slippage_bps: u16,
    },
    /// At most `slippage_bps` below par less the PSM's fee (a redemption below full backing
    /// pays less: pass a wider slippage to accept it).
    RedeemForStable {
        amount: u64,
        slippage_bps: u16,
    },
    /// In kind: `amount` anchor tokens for a claim (`nonce`, one per open claim of the
    /// signer) on the collateral's units, pro rata; then each pool's units collected by
    /// `ClaimInKind` (for permissioned units the signer must be attested).
    RedeemInKind {
        amount: u64,
        nonce: u64,
    },
    ClaimInKind {
        pool: Pubkey,
        nonce: u64,
    },
    /// At most `slippage_bps` below the quoted shares (a lower bound while the reserve holds
    /// anchor tokens, counted at par).
    Deposit {
        amount: u64,
        slippage_bps: u16,
    },
    StakeInsurance {
        amount: u64,
        slippage_bps: u16,
    },
    /// Transfer-hook admin: approve an attestor (its authority key); admin or guardian:
    /// suspend one; admin: reinstate one.
    ApproveAttestor {
        attestor: Pubkey,
    },
    SetAttestorStatus {
        attestor: Pubkey,
        status: AttestorStatus,
    },
    /// Transfer-hook admin: the permissioned units of `pool_or_mint` (a pool or its unit mint)
    /// trust `attestor` from now on.
    SetMintAttestor {
        pool_or_mint: Pubkey,
        attestor: Pubkey,
    },
    /// Attestor: attest `holder` in `jurisdiction` until `expires` (issue or renewal).
    Attest {
        holder: Pubkey,
        jurisdiction: [u8; 2],
        expires: Expiry,
    },
    /// Attestor: revoke its attestation of `holder`.
    Revoke {
        holder: Pubkey,
    },
    /// `attestor`'s attestation of `holder` (default attestor: the signer).
    ShowAttestation {
        holder: Pubkey,
        attestor: Option<Pubkey>,
    },
}

/// Token-2022 units with metadata, open or permissioned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitChoice {
    pub name: String,
    pub symbol: String,
    /// The approved attestor a permissioned pool trusts; `None`: open units.
    pub attestor: Option<Pubkey>,
}

/// When an attestation expires: a clock time, or a number of days from the cluster's clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    At(i64),
    InDays(u32),
}

impl Expiry {
    /// `1800000000` (a unix time) or `+365d` (days from now).
    pub fn parse(text: &str) -> Result<Expiry, String> {
        let bad = || format!("--expires must be a unix time or +<days>d, got `{text}`");
        match text.strip_prefix('+') {
            Some(rest) => match rest.strip_suffix('d') {
                Some(days) => days.parse().map(Expiry::InDays).map_err(|_| bad()),
                None => Err(bad()),
            },
            None => text.parse().map(Expiry::At).map_err(|_| bad()),
        }
    }

    fn at(self, now: i64) -> i64 {
        match self {
            Expiry::At(t) => t,
            Expiry::InDays(d) => now.saturating_add(i64::from(d) * 86_400),
        }
    }
}

/// An ISO 3166-1 alpha-2 code, e.g. `DE` (the hook refuses anything but two upper-case
/// letters; lower case is upper-cased here).
pub fn jurisdiction(text: &str) -> Result<[u8; 2], String> {
    let code = text.to_ascii_uppercase();
    match code.as_bytes() {
        [a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => Ok([*a, *b]),
        _ => Err(format!("--jurisdiction must be two letters (ISO 3166-1 alpha-2), got `{text}`")),
    }
}

/// What an action did or read: a title and label/value rows, plus the signature when it sent a
/// transaction.
#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    pub title: String,
    pub rows: Vec<(String, String)>,
    pub signature: Option<String>,
}

impl Outcome {
    fn new(title: impl Into<String>) -> Outcome {
        Outcome { title: title.into(), rows: vec![], signature: None }
    }

    fn row(mut self, label: &str, value: impl ToString) -> Outcome {
        self.rows.push((label.to_string(), value.to_string()));
        self
    }

    /// The outcome as lines for people.
    pub fn render(&self) -> Vec<String> {
        let mut table = format::Table::new(&["", ""]);
        for (k, v) in &self.rows {
            table.row(vec![k.clone(), v.clone()]);
        }
        let mut lines = vec![self.title.clone()];
        lines.extend(table.lines(2).into_iter().skip(2));
        if let Some(sig) = &self.signature {
            lines.push(format!("  signature  {sig}"));
        }
        lines
    }
}

/// A feed id from its text: up to 32 bytes, zero-padded (as the protocol names them, e.g.
/// `USD-SOFR-1M`).
pub fn feed_id(text: &str) -> Result<[u8; 32], String> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > 32 {
        return Err(format!("feed id `{text}` must be 1 to 32 bytes"));
    }
    let mut id = [0u8; 32];
    id[..bytes.len()].copy_from_slice(bytes);
    Ok(id)
}

fn feed_name(id: &[u8; 32]) -> String {
    let end = id.iter().position(|&b| b == 0).unwrap_or(32);
    String::from_utf8_lossy(&id[..end]).into_owned()
}

/// Base units as tokens of the reserve stablecoin's 6 decimals.
fn money(base: u64) -> String {
    format::units(base, 6)
}

fn rate(raw: u128) -> String {
    rwa_math::Fixed::from_raw(raw).mul_u64_floor(1_000_000).map_or("?".into(), money)
}

/// Flows per transaction when a schedule is uploaded (a transaction is at most 1,232 bytes).
pub const FLOWS_PER_TX: usize = 24;

/// Runs `op` with `signer` paying and signing.
pub async fn run<C: Chain>(sdk: &Sdk<C>, signer: &Keypair, op: &Op) -> Result<Outcome, SdkError> {
    let me = signer.pubkey();
    let (outcome, ixs): (Outcome, Vec<_>) = match op {
        Op::CreatePool { .. } => return create_pool(sdk, signer, op).await,
        Op::ActivatePool { pool } => {
            let p = sdk.pool(pool).await?;
            let units = token_program_of(sdk, &p.unit_mint).await?;
            let dest = rwa_sdk::associated_token_address(&me, &p.unit_mint, &units.id());
            let create =
                rwa_sdk::create_associated_token_account_ix(&me, &me, &p.unit_mint, &units.id());
            (
                Outcome::new("pool activated").row("pool", pool).row("units to", dest),
                vec![
                    create,
                    sdk.with_unit_hook_accounts(
                        registry::activate_pool_ix(&me, pool, &dest, units),
                        &p.unit_mint,
                        &me,
                    )
                    .await?,
                ],
            )
        }
        Op::ShowPool { pool } => return show_pool(sdk, pool).await,
        Op::ShowBacking => return show_backing(sdk).await,
        Op::ShowReserve => return show_reserve(sdk).await,
        Op::ShowFeed { feed_id } => return show_feed(sdk, feed_id).await,
        Op::ShowAttestation { holder, attestor } => {
            return show_attestation(sdk, &attestor.unwrap_or(me), holder).await
        }
        Op::ApproveAttestor { attestor } => (
            Outcome::new("attestor approved").row("attestor", attestor),
            vec![hook::approve_attestor_ix(&me, attestor)],
        ),
        Op::SetAttestorStatus { attestor, status } => (
            Outcome::new(match status {
                AttestorStatus::Approved => "attestor reinstated",
                AttestorStatus::Suspended => "attestor suspended",
            })
            .row("attestor", attestor),
            vec![hook::set_attestor_status_ix(&me, attestor, *status)],
        ),
        Op::SetMintAttestor { pool_or_mint, attestor } => {
            let mint = sdk.gated_mint(pool_or_mint).await?;
            (
                Outcome::new("mint attestor set").row("mint", mint).row("attestor", attestor),
                vec![hook::set_mint_attestor_ix(&me, &mint, attestor)],
            )
        }
        Op::Attest { holder, jurisdiction, expires } => {
            let expires_at = expires.at(sdk.clock().await?.unix_timestamp);
            (
                Outcome::new("holder attested")
                    .row("holder", holder)
                    .row("jurisdiction", String::from_utf8_lossy(jurisdiction))
                    .row("expires", format::datetime(expires_at))
                    .row("attestation", hook::attestation_pda(&me, holder)),
                vec![hook::attest_ix(&me, holder, expires_at, *jurisdiction)],
            )
        }
        Op::Revoke { holder } => (
            Outcome::new("attestation revoked").row("holder", holder),
            vec![hook::revoke_ix(&me, holder)],
        ),
        Op::Repay { pool, amount } | Op::Recover { pool, amount } => {
            let p = sdk.pool(pool).await?;
            let currency = registry::Currency {
                mint: p.currency_mint,
                program: token_program_of(sdk, &p.currency_mint).await?,
            };
            let source =
                rwa_sdk::associated_token_address(&me, &p.currency_mint, &currency.program.id());
            let (title, ix) = if matches!(op, Op::Repay { .. }) {
                (
                    "repayment recorded",
                    registry::record_repayment_ix(&me, pool, currency, &source, *amount),
                )
            } else {
                (
                    "recovery recorded",
                    registry::record_recovery_ix(&me, pool, currency, &source, *amount),
                )
            };
            (Outcome::new(title).row("pool", pool).row("amount", money(*amount)), vec![ix])
        }
        Op::MarkLate { pool } => (
            Outcome::new("pool marked late").row("pool", pool),
            vec![registry::mark_late_ix(&me, pool)],
        ),
        Op::DeclareDefault { pool } => (
            Outcome::new("pool declared in default").row("pool", pool),
            vec![registry::declare_default_ix(&me, pool)],
        ),
        Op::WriteDown { pool, amount } => (
            Outcome::new("write-down recorded").row("pool", pool).row("amount", money(*amount)),
            vec![registry::write_down_ix(&me, pool, *amount)],
        ),
        Op::ClosePool { pool } => {
            // the pool names its issuer's authority key
            let issuer = sdk.pool(pool).await?.issuer;
            (
                Outcome::new("pool closed").row("pool", pool),
                vec![registry::close_pool_ix(&me, pool, &issuer)],
            )
        }
        Op::ApproveIssuer { issuer, max_pools, max_face_value } => {
            let limits = receivables::state::IssuerLimits {
                max_pools: *max_pools,
                max_face_value: *max_face_value,
            };
            (
                Outcome::new("issuer approved")
                    .row("issuer", issuer)
                    .row("max pools", max_pools)
                    .row("max face value", money(*max_face_value)),
                vec![registry::approve_issuer_ix(&me, issuer, limits)],
            )
        }
        Op::ApproveServicer { servicer } => (
            Outcome::new("servicer approved").row("servicer", servicer),
            vec![registry::approve_servicer_ix(&me, servicer)],
        ),
        Op::AcceptPool { pool, params } => (
            Outcome::new("pool accepted by value-anchor")
                .row("pool", pool)
                .row("haircut", format::bps(params.haircut_bps as u64))
                .row("ceiling", money(params.ceiling))
                .row(
                    "capacity",
                    format!("{} per {} s", money(params.capacity), params.capacity_window_secs),
                ),
            vec![anchor_token::accept_pool_ix(&me, pool, *params)],
        ),
        Op::ListPool { pool, cap } => (
            Outcome::new("pool listed by the buyback reserve")
                .row("pool", pool)
                .row("cap", money(*cap)),
            vec![reserve::list_pool_ix(&me, pool, *cap)],
        ),
        Op::Submit { feed_id, value_bps, confidence_bps } => {
            let now = sdk.clock().await?.unix_timestamp;
            let bps = |b: u64| rwa_math::Fixed::from_bps_floor(b).map(|f| f.raw());
            let (value, confidence) = match (bps(*value_bps), bps(*confidence_bps)) {
                (Ok(v), Ok(c)) => (v, c),
                _ => {
                    return Err(SdkError::Chain(format!(
                        "{value_bps} or {confidence_bps} bps is out of range"
                    )))
                }
            };
            (
                Outcome::new("observation submitted")
                    .row("feed", feed_name(feed_id))
                    .row("value", format::bps(*value_bps))
                    .row("confidence", format::bps(*confidence_bps)),
                vec![oracle::submit_ix(&me, feed_id, value, confidence, now)],
            )
        }
        Op::SetPaused { program, paused } => {
            let ix = match program {
                Program::Oracle => oracle::set_paused_ix(&me, *paused),
                Program::Receivables => registry::set_paused_ix(&me, *paused),
                Program::Pricer => pricer::set_paused_ix(&me, *paused),
                Program::ValueAnchor => anchor_token::set_paused_ix(&me, *paused),
                Program::Reserve => reserve::set_paused_ix(&me, *paused),
            };
            let title = if *paused { "paused" } else { "unpaused" };
            (Outcome::new(title).row("program", format!("{program:?}")), vec![ix])
        }
        Op::Exchange { pool, units, slippage_bps } => {
            let quote = sdk.quote_exchange(pool, *units).await?.minted;
            let ixs = sdk.exchange_tx(&me, pool, *units, min_out(quote, *slippage_bps)).await?;
            (
                Outcome::new("units exchanged for the anchor token")
                    .row("pool", pool)
                    .row("units", money(*units))
                    .row("quoted", money(quote)),
                ixs,
            )
        }
        Op::Sell { pool, units, slippage_bps } => {
            let quote = sdk.quote_sell_to_reserve(pool, *units).await?;
            let paid = quote.sale.paid;
            let ixs =
                sdk.sell_to_reserve_tx(&me, pool, *units, min_out(paid, *slippage_bps)).await?;
            (
                Outcome::new("units sold to the buyback reserve")
                    .row("pool", pool)
                    .row("units", money(*units))
                    .row("value at the unit price", money(quote.sale.value))
                    .row("exit-curve discount", money(quote.sale.discount))
                    .row("quoted payout", money(paid)),
                ixs,
            )
        }
        Op::RedeemForStable { amount, slippage_bps } => {
            let fee_bps = sdk.anchor_config().await?.params.fee_out_bps;
            // the PSM's own fee rule (rounded up)
            let fee = value_anchor::math::fee_ceil(*amount, fee_bps)
                .map_err(|e| SdkError::Chain(e.to_string()))?;
            let at_par = amount.saturating_sub(fee);
            (
                Outcome::new("anchor tokens redeemed for stable")
                    .row("amount", money(*amount))
                    .row("at par less the fee", money(at_par)),
                vec![sdk.redeem_for_stable(&me, *amount, min_out(at_par, *slippage_bps)).await?],
            )
        }
        Op::RedeemInKind { amount, nonce } => (
            Outcome::new("anchor tokens redeemed in kind")
                .row("amount", money(*amount))
                .row("claim", anchor_token::claim_pda(&me, *nonce))
                .row("nonce", nonce),
            vec![sdk.redeem_in_kind(&me, &me, *nonce, *amount).await?],
        ),
        Op::ClaimInKind { pool, nonce } => {
            let accepted = sdk.accepted_pool(pool).await?;
            let (mint, program) = (accepted.unit_mint, accepted.unit_token_program);
            let to = rwa_sdk::associated_token_address(&me, &mint, &program);
            let create = rwa_sdk::create_associated_token_account_ix(&me, &me, &mint, &program);
            (
                Outcome::new("units claimed in kind")
                    .row("pool", pool)
                    .row("claim", anchor_token::claim_pda(&me, *nonce))
                    .row("units to", to),
                vec![create, sdk.claim_in_kind(&me, pool, *nonce).await?],
            )
        }
        Op::Deposit { amount, slippage_bps } => {
            let quote = sdk.quote_deposit(*amount).await?;
            let least = min_out(quote.shares, *slippage_bps);
            (
                Outcome::new("deposited into the buyback reserve")
                    .row("amount", money(*amount))
                    .row(
                        if quote.exact { "quoted shares" } else { "quoted shares (at least)" },
                        quote.shares,
                    )
                    .row("least accepted", least),
                sdk.deposit_tx(&me, *amount, least).await?,
            )
        }
        Op::StakeInsurance { amount, slippage_bps } => {
            let quote = sdk.quote_stake_insurance(*amount).await?;
            let least = min_out(quote.shares, *slippage_bps);
            (
                Outcome::new("staked in the insurance pool")
                    .row("amount", money(*amount))
                    .row("quoted shares", quote.shares)
                    .row("least accepted", least),
                vec![sdk.stake_insurance(&me, *amount, least).await?],
            )
        }
    };
    let signature = sdk.send(&ixs, signer, &[signer]).await?;
    Ok(Outcome { signature: Some(signature.to_string()), ..outcome })
}

async fn create_pool<C: Chain>(
    sdk: &Sdk<C>,
    signer: &Keypair,
    op: &Op,
) -> Result<Outcome, SdkError> {
    let Op::CreatePool {
        index,
        servicer,
        currency,
        grade,
        asset_class,
        face_value,
        unit_size,
        uri,
        doc_hash,
        flows,
        units,
    } = op
    else {
        return Err(SdkError::Chain("not a create-pool command".into()));
    };
    let me = signer.pubkey();
    let payments: Vec<ScheduledPayment> =
        flows.iter().map(|&(due_ts, amount)| ScheduledPayment { due_ts, amount }).collect();
    let sum = payments.iter().try_fold(0u64, |a, p| a.checked_add(p.amount));
    let face =
        face_value.or(sum).ok_or_else(|| SdkError::Chain("the schedule's sum overflows".into()))?;
    let mut chunks = payments.chunks(FLOWS_PER_TX);
    let first = chunks.next().unwrap_or(&[]).to_vec();
    let params = CreatePoolParams {
        asset_class: *asset_class,
        grade: *grade,
        face_value: face,
        unit_size: *unit_size,
        doc_hash: *doc_hash,
        uri: uri.clone(),
        schedule: first,
        // classic SPL Token units: no metadata, open
        name: units.as_ref().map(|u| u.name.clone()).unwrap_or_default(),
        symbol: units.as_ref().map(|u| u.symbol.clone()).unwrap_or_default(),
        unit_access: match units.as_ref().and_then(|u| u.attestor) {
            Some(_) => receivables::state::UnitAccess::Permissioned,
            None => receivables::state::UnitAccess::Open,
        },
    };
    let currency_program = token_program_of(sdk, currency).await?;
    let create = match units {
        Some(UnitChoice { attestor: Some(attestor), .. }) => registry::create_permissioned_pool_ix(
            &me,
            servicer,
            *index,
            currency,
            currency_program,
            attestor,
            params,
        ),
        _ => registry::create_pool_ix(
            &me,
            servicer,
            *index,
            currency,
            currency_program,
            match units {
                Some(_) => rwa_sdk::TokenProgram::Token2022,
                None => rwa_sdk::TokenProgram::Classic,
            },
            params,
        ),
    };
    let mut signature = sdk.send(&[create], signer, &[signer]).await?;
    let pool = registry::pool_pda(&me, *index);
    let mut transactions = 1;
    for chunk in chunks {
        let append = registry::append_schedule_ix(&me, &pool, chunk.to_vec());
        signature = sdk.send(&[append], signer, &[signer]).await?;
        transactions += 1;
    }
    Ok(Outcome {
        signature: Some(signature.to_string()),
        ..Outcome::new("pool created (Draft)")
            .row("pool", pool)
            .row("flows", payments.len())
            .row("face value", money(face))
            .row(
                "units",
                match units {
                    None => "SPL Token, open".to_string(),
                    Some(UnitChoice { attestor: None, .. }) => "Token-2022, open".to_string(),
                    Some(UnitChoice { attestor: Some(a), .. }) => {
                        format!("Token-2022, permissioned (attestor {a})")
                    }
                },
            )
            .row("transactions", transactions)
    })
}

/// The token program a mint lives under.
async fn token_program_of<C: Chain>(
    sdk: &Sdk<C>,
    mint: &Pubkey,
) -> Result<rwa_sdk::TokenProgram, SdkError> {
    let account = sdk.account(mint).await?;
    Ok(if account.owner == rwa_sdk::TokenProgram::Token2022.id() {
        rwa_sdk::TokenProgram::Token2022
    } else {
        rwa_sdk::TokenProgram::Classic
    })
}

async fn show_pool<C: Chain>(sdk: &Sdk<C>, address: &Pubkey) -> Result<Outcome, SdkError> {
    let pool = sdk.pool(address).await?;
    let outstanding: u64 = pool.schedule.iter().map(|f| f.outstanding()).sum();
    let next = pool.schedule.iter().find(|f| f.outstanding() > 0);
    let mut out = Outcome::new(format!("pool {address}"))
        .row("status", format!("{:?}", pool.status))
        .row("grade", pool.grade)
        .row("issuer", pool.issuer)
        .row("servicer", pool.servicer)
        .row("face value", money(pool.face_value))
        .row("units minted", money(pool.units_minted))
        .row("flows", pool.schedule.len())
        .row("outstanding", money(outstanding))
        .row("repaid", money(pool.total_repaid))
        .row("recovered", money(pool.total_recovered))
        .row("version", pool.version);
    if let Some(f) = next {
        out = out.row(
            "next due",
            format!("{} ({})", format::datetime(f.due_ts), money(f.outstanding())),
        );
    }
    if let Ok(pricing) = sdk.pricing(address).await {
        let r = pricing.rate;
        out = out
            .row("unit price", rate(r.unit_price))
            .row("computed price", rate(r.computed_price))
            .row("pool value", money(r.pool_value))
            .row("priced at", format::datetime(r.updated_at))
            .row("priced version", r.pool_version);
    }
    Ok(out)
}

async fn show_backing<C: Chain>(sdk: &Sdk<C>) -> Result<Outcome, SdkError> {
    let b = sdk.backing().await?;
    let mut out = Outcome::new("value-anchor backing")
        .row("anchor supply", money(b.anchor_supply))
        .row("stable reserve", money(b.stable_reserve))
        .row("pools value", money(b.pools_value))
        .row("total backing", money(b.total_backing))
        .row("ratio", format::bps(b.ratio_bps))
        .row("fees accrued", money(b.fees_accrued))
        .row("updated", format::datetime(b.updated_at));
    for e in b.entries.iter().take(b.pool_count as usize) {
        out = out.row(
            &format!("pool {}", e.pool),
            format!(
                "{} units, {} value, priced {}",
                money(e.units),
                money(e.value),
                format::datetime(e.priced_at)
            ),
        );
    }
    Ok(out)
}

async fn show_reserve<C: Chain>(sdk: &Sdk<C>) -> Result<Outcome, SdkError> {
    let book = sdk.book().await?;
    let mut out = Outcome::new("buyback reserve")
        .row("idle cash", money(book.cash))
        .row("shares", book.shares)
        .row("anchor tokens held", money(book.anchor_held))
        .row("epoch start", format::datetime(book.epoch_start))
        .row("sold this epoch (value)", money(book.sale_used))
        .row("bid used this epoch", money(book.bid_used))
        .row("insurance cash", money(book.insurance_cash))
        .row("insurance shares", book.insurance_shares)
        .row("covered so far", money(book.covered_total))
        .row("protocol tokens staked", money(book.staked))
        .row("rewards owed to stakers", money(book.rewards_cash));
    for h in book.holdings.iter().take(book.holding_count as usize) {
        out = out.row(
            &format!("pool {}", h.pool),
            format!(
                "{} units, {} value, marked {}",
                money(h.units),
                money(h.value),
                format::datetime(h.priced_at)
            ),
        );
    }
    Ok(out)
}

async fn show_feed<C: Chain>(sdk: &Sdk<C>, id: &[u8; 32]) -> Result<Outcome, SdkError> {
    let address = oracle::feed_pda(id);
    let feed = sdk.feed(&address).await?;
    let agg = feed.accepted;
    Ok(Outcome::new(format!("feed {} ({address})", feed_name(id)))
        .row("kind", format!("{:?}", feed.params.kind))
        .row("value", rate(agg.value))
        .row("confidence", rate(agg.confidence))
        .row("published", format::datetime(agg.publish_ts))
        .row("publishers in the aggregate", agg.publishers)
        .row("paused", feed.paused))
}

async fn show_attestation<C: Chain>(
    sdk: &Sdk<C>,
    attestor: &Pubkey,
    holder: &Pubkey,
) -> Result<Outcome, SdkError> {
    let address = hook::attestation_pda(attestor, holder);
    let record = sdk.attestor(attestor).await?;
    let out = Outcome::new(format!("attestation {address}"))
        .row("holder", holder)
        .row("attestor", attestor)
        .row("attestor status", format!("{:?}", record.status));
    let Some(a) = sdk.attestation(attestor, holder).await? else {
        return Ok(out.row("status", "none (never attested)"));
    };
    let now = sdk.clock().await?.unix_timestamp;
    let status = match a.check_valid(now) {
        Ok(()) if record.status == AttestorStatus::Approved => "valid",
        Ok(()) => "not counting (attestor suspended)",
        Err(_) if a.revoked => "revoked",
        Err(_) => "expired",
    };
    Ok(out
        .row("status", status)
        .row("jurisdiction", String::from_utf8_lossy(&a.jurisdiction))
        .row("issued", format::datetime(a.issued_at))
        .row("expires", format::datetime(a.expires_at)))
}
