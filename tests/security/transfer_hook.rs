//! The transfer-hook flow: every instruction of the hook, each attacked the first time it is
//! sent: initialised, an attestor approved, a mint made outside receivables gated by its mint
//! authority and rebound by the admin to a second approved
//! attestor, a holder attested, a transfer of a permissioned pool's units to that holder
//! through Token-2022 (where `execute` runs: see `harness::hooked_transfer`), the attestation
//! revoked, the attestor suspended, the admin handed over. A second flow attacks receivables'
//! `create_pool` of a permissioned pool (the hook's accounts as remaining accounts).
use rwa_testkit::{
    authority::TransferHook, prelude::*, registry::Registry, token::MintExtension, transfer_hook::*,
};
use transfer_hook::state::AttestorStatus;

use crate::{
    harness::{hand_over, Attacker},
    table,
};

const TARGETS: &[&str] = &[
    "initialize",
    "approve_attestor",
    "gate_mint",
    "set_mint_attestor",
    "attest",
    "execute",
    "revoke",
    "set_attestor_status",
    "propose_admin",
    "accept_admin",
    "set_guardian",
];

#[tokio::test]
async fn every_transfer_hook_instruction_refuses_every_substituted_account() {
    let record = Attacker::install("transfer_hook", TARGETS);
    let mut r = Registry::new(TokenProgram::Classic).await;
    // not attacked: receivables' create_pool gates the pool's mint by CPI
    let attestor = r.init_hook().await;
    let (pool, issuer_units) = r.active_token_2022_pool(0, Some(&attestor)).await;
    let mint = rwa_testkit::registry::unit_mint_pda(&pool);

    let authority = r.env.funded_keypair(1_000_000_000).await;
    let k = authority.pubkey();
    let hook = [MintExtension::FixedTransferHook(transfer_hook::ID)];
    let other_mint = r.env.create_mint_with_extensions(6, &k, &hook).await;
    let gate = gate_mint_ix(&k, &k, &other_mint, &attestor.pubkey());
    r.env.send_ok(&[gate], &[&authority]).await;
    let admin = r.admin.insecure_clone();
    let next = Pubkey::new_unique();
    r.env.send_ok(&[approve_attestor_ix(&admin.pubkey(), &next)], &[&admin]).await;
    let rebind = set_mint_attestor_ix(&admin.pubkey(), &other_mint, &next);
    r.env.send_ok(&[rebind], &[&admin]).await;

    let holder = r.env.funded_keypair(100_000_000).await;
    let holder_units = r.env.create_ata(TokenProgram::Token2022, &mint, &holder.pubkey()).await;
    r.attest(&attestor, &holder.pubkey()).await;
    let issuer = r.issuer.insecure_clone();
    let transfer = hooked_transfer_ix(
        &mint,
        &issuer_units,
        &holder_units,
        &holder.pubkey(),
        &issuer.pubkey(),
        &attestor.pubkey(),
        1_000_000,
    );
    r.env.send_ok(&[transfer], &[&issuer]).await;
    let revoke = revoke_ix(&attestor.pubkey(), &holder.pubkey());
    r.env.send_ok(&[revoke], &[&attestor]).await;
    let guardian = r.guardian.insecure_clone();
    let suspend =
        set_attestor_status_ix(&guardian.pubkey(), &attestor.pubkey(), AttestorStatus::Suspended);
    r.env.send_ok(&[suspend], &[&guardian]).await;

    hand_over::<TransferHook>(&mut r.env, &admin).await;

    Attacker::uninstall();
    table::check("transfer_hook", "transfer_hook", TARGETS, &record.borrow());
}

/// receivables' `create_pool` of a permissioned pool: the unit mint hooked to the protocol's
/// hook and gated (by CPI) with the attestor named in the remaining accounts.
#[tokio::test]
async fn a_permissioned_create_pool_refuses_every_substituted_account() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let attestor = r.init_hook().await;
    let record = Attacker::install("receivables", &["create_pool"]);
    let params = r.permissioned_params();
    let ix = r.create_token_2022_pool_ix(0, params, Some(&attestor.pubkey()));
    let issuer = r.issuer.insecure_clone();
    r.env.send_ok(&[ix], &[&issuer]).await;
    Attacker::uninstall();
    table::check("receivables_permissioned", "receivables", &["create_pool"], &record.borrow());
}
