//! The hook's own instructions: attestor approval and status, attestations (issue, renewal,
//! revocation) and mint gates, each refusal asserted by program and name; the admin handover
//! through the generic authority tests.
use anchor_lang::error::ErrorCode;
use rwa_testkit::{
    authority::TransferHook, prelude::*, registry::Registry, token::MintExtension, transfer_hook::*,
};
use transfer_hook::{
    errors::HookError,
    state::{Attestation, Attestor, AttestorStatus, MintGate},
};

rwa_integration_tests::authority_tests!(TransferHook:
    initialize_by_the_upgrade_authority_makes_it_admin_with_nothing_pending,
    initialize_refuses_a_signer_that_is_not_the_upgrade_authority,
    initialize_refuses_the_program_data_of_another_program,
    initialize_refuses_a_program_data_account_the_loader_did_not_write,
    initialize_refuses_an_immutable_program,
    propose_admin_offers_the_role_and_the_admin_keeps_it,
    propose_admin_by_anyone_but_the_admin_is_refused,
    proposing_the_default_pubkey_withdraws_the_offer,
    a_new_proposal_replaces_the_earlier_one,
    accept_admin_hands_the_role_to_the_proposed_key,
    accept_admin_by_anyone_but_the_proposed_key_is_refused,
    accept_admin_with_nothing_pending_is_refused,
    the_former_admin_loses_every_power_after_accept,
    set_guardian_replaces_the_guardian,
    set_guardian_by_anyone_but_the_admin_is_refused,
    set_guardian_refuses_the_default_pubkey,
);

/// The registry with the hook initialised (admin and guardian: the registry's) and one
/// approved attestor.
async fn hook() -> (Registry, Keypair) {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let attestor = r.init_hook().await;
    (r, attestor)
}

async fn status(r: &mut Registry, attestor: &Pubkey) -> AttestorStatus {
    let a: Attestor = r.env.anchor_account(attestor_pda(attestor)).await;
    a.status
}

#[tokio::test]
async fn initialize_refuses_the_default_pubkey_as_guardian() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&transfer_hook::ID).await;
    let program_data = rwa_testkit::authority::program_data_address(&transfer_hook::ID);
    let ix = initialize_ix(&admin.pubkey(), &program_data, Pubkey::default());
    env.send_expect_error(&[ix], &[&admin], HookError::InvalidGuardian).await;
    assert!(env.account(config_pda()).await.is_none());
}

#[tokio::test]
async fn only_the_admin_approves_an_attestor_and_only_once() {
    let (mut r, attestor) = hook().await;
    let a: Attestor = r.env.anchor_account(attestor_pda(&attestor.pubkey())).await;
    assert_eq!(
        (a.authority, a.status, a.attestations),
        (attestor.pubkey(), AttestorStatus::Approved, 0)
    );

    let candidate = Pubkey::new_unique();
    for signer in [r.guardian.insecure_clone(), attestor.insecure_clone()] {
        let ix = approve_attestor_ix(&signer.pubkey(), &candidate);
        r.env.send_expect_error(&[ix], &[&signer], ErrorCode::ConstraintHasOne).await;
    }
    assert!(r.env.account(attestor_pda(&candidate)).await.is_none());
    // approving the same authority again: its record exists (the system program refuses)
    let admin = r.admin.insecure_clone();
    let again = approve_attestor_ix(&admin.pubkey(), &attestor.pubkey());
    r.env.send_expect_failure(&[again], &[&admin]).await;
}

#[tokio::test]
async fn the_guardian_suspends_but_only_the_admin_reinstates() {
    let (mut r, attestor) = hook().await;
    let (admin, guardian) = (r.admin.insecure_clone(), r.guardian.insecure_clone());
    let a = attestor.pubkey();
    let ix = set_attestor_status_ix(&guardian.pubkey(), &a, AttestorStatus::Suspended);
    r.env.send_ok(&[ix], &[&guardian]).await;
    assert_eq!(status(&mut r, &a).await, AttestorStatus::Suspended);

    let ix = set_attestor_status_ix(&guardian.pubkey(), &a, AttestorStatus::Approved);
    r.env.send_expect_error(&[ix], &[&guardian], HookError::Unauthorized).await;
    assert_eq!(status(&mut r, &a).await, AttestorStatus::Suspended);

    let ix = set_attestor_status_ix(&admin.pubkey(), &a, AttestorStatus::Approved);
    r.env.send_ok(&[ix], &[&admin]).await;
    assert_eq!(status(&mut r, &a).await, AttestorStatus::Approved);
    let ix = set_attestor_status_ix(&admin.pubkey(), &a, AttestorStatus::Suspended);
    r.env.send_ok(&[ix], &[&admin]).await;
    assert_eq!(status(&mut r, &a).await, AttestorStatus::Suspended);
}

#[tokio::test]
async fn nobody_else_sets_an_attestors_status_not_even_the_attestor() {
    let (mut r, attestor) = hook().await;
    let stranger = r.env.funded_keypair(100_000_000).await;
    let a = attestor.pubkey();
    for (signer, status_to) in [
        (stranger.insecure_clone(), AttestorStatus::Suspended),
        (attestor.insecure_clone(), AttestorStatus::Suspended),
        (stranger, AttestorStatus::Approved),
    ] {
        let ix = set_attestor_status_ix(&signer.pubkey(), &a, status_to);
        r.env.send_expect_error(&[ix], &[&signer], HookError::Unauthorized).await;
    }
    assert_eq!(status(&mut r, &a).await, AttestorStatus::Approved);
}

#[tokio::test]
async fn attest_stores_the_attestation_and_a_renewal_replaces_it() {
    let (mut r, attestor) = hook().await;
    let holder = Pubkey::new_unique();
    let now = r.env.clock().await.unix_timestamp;
    let ix = attest_ix(&attestor.pubkey(), &holder, now + 100, *b"FR");
    r.env.send_ok(&[ix], &[&attestor]).await;
    let a: Attestation = r.env.anchor_account(attestation_pda(&attestor.pubkey(), &holder)).await;
    assert_eq!((a.attestor, a.holder, a.jurisdiction), (attestor.pubkey(), holder, *b"FR"));
    assert_eq!((a.issued_at, a.expires_at, a.revoked), (now, now + 100, false));

    r.env.send_ok(&[revoke_ix(&attestor.pubkey(), &holder)], &[&attestor]).await;
    let ix = attest_ix(&attestor.pubkey(), &holder, now + 200, *b"DE");
    r.env.send_ok(&[ix], &[&attestor]).await;
    let a: Attestation = r.env.anchor_account(attestation_pda(&attestor.pubkey(), &holder)).await;
    assert_eq!((a.jurisdiction, a.expires_at, a.revoked), (*b"DE", now + 200, false));
    let record: Attestor = r.env.anchor_account(attestor_pda(&attestor.pubkey())).await;
    assert_eq!(record.attestations, 2);
}

#[tokio::test]
async fn attest_refuses_a_past_expiry_and_a_malformed_jurisdiction() {
    let (mut r, attestor) = hook().await;
    let holder = Pubkey::new_unique();
    let now = r.env.clock().await.unix_timestamp;
    let cases = [
        (now, *b"DE", HookError::InvalidExpiry),
        (now - 1, *b"DE", HookError::InvalidExpiry),
        (now + 100, *b"de", HookError::InvalidJurisdiction),
        (now + 100, *b"D1", HookError::InvalidJurisdiction),
        (now + 100, [0, 0], HookError::InvalidJurisdiction),
    ];
    for (expires_at, jurisdiction, expected) in cases {
        let ix = attest_ix(&attestor.pubkey(), &holder, expires_at, jurisdiction);
        r.env.send_expect_error(&[ix], &[&attestor], expected).await;
    }
    assert!(r.env.account(attestation_pda(&attestor.pubkey(), &holder)).await.is_none());
}

#[tokio::test]
async fn a_suspended_or_unapproved_attestor_attests_nothing() {
    let (mut r, attestor) = hook().await;
    let guardian = r.guardian.insecure_clone();
    let a = attestor.pubkey();
    let suspend = set_attestor_status_ix(&guardian.pubkey(), &a, AttestorStatus::Suspended);
    r.env.send_ok(&[suspend], &[&guardian]).await;
    let holder = Pubkey::new_unique();
    let expires = r.env.clock().await.unix_timestamp + YEAR;
    let ix = attest_ix(&a, &holder, expires, *b"DE");
    r.env.send_expect_error(&[ix], &[&attestor], HookError::AttestorNotApproved).await;

    // a key the admin never approved has no attestor record
    let stranger = r.env.funded_keypair(100_000_000).await;
    let ix = attest_ix(&stranger.pubkey(), &holder, expires, *b"DE");
    r.env.send_expect_error(&[ix], &[&stranger], ErrorCode::AccountNotInitialized).await;
    assert!(r.env.account(attestation_pda(&a, &holder)).await.is_none());
}

#[tokio::test]
async fn revoke_once_by_the_issuing_attestor_even_while_suspended() {
    let (mut r, attestor) = hook().await;
    let holder = Pubkey::new_unique();
    r.attest(&attestor, &holder).await;
    let guardian = r.guardian.insecure_clone();
    let a = attestor.pubkey();
    let suspend = set_attestor_status_ix(&guardian.pubkey(), &a, AttestorStatus::Suspended);
    r.env.send_ok(&[suspend], &[&guardian]).await;
    r.env.send_ok(&[revoke_ix(&a, &holder)], &[&attestor]).await;
    let at: Attestation = r.env.anchor_account(attestation_pda(&a, &holder)).await;
    assert!(at.revoked);
    let ix = revoke_ix(&a, &holder);
    r.env.send_expect_error(&[ix], &[&attestor], HookError::AlreadyRevoked).await;
}

#[tokio::test]
async fn another_attestor_cannot_revoke_an_attestation() {
    let (mut r, attestor) = hook().await;
    let admin = r.admin.insecure_clone();
    let other = r.env.funded_keypair(100_000_000).await;
    r.env.send_ok(&[approve_attestor_ix(&admin.pubkey(), &other.pubkey())], &[&admin]).await;
    let holder = Pubkey::new_unique();
    r.attest(&attestor, &holder).await;
    // naming the attestation: the seeds are the signer's, not this attestation's
    let mut ix = revoke_ix(&attestor.pubkey(), &holder);
    ix = resign(ix, &attestor.pubkey(), &other.pubkey());
    r.env.send_expect_error(&[ix], &[&other], ErrorCode::ConstraintSeeds).await;
    // its own attestation of that holder does not exist
    let ix = revoke_ix(&other.pubkey(), &holder);
    r.env.send_expect_error(&[ix], &[&other], ErrorCode::AccountNotInitialized).await;
    let at: Attestation = r.env.anchor_account(attestation_pda(&attestor.pubkey(), &holder)).await;
    assert!(!at.revoked);
}

/// A Token-2022 mint hooked to the protocol's hook (no hook authority), `authority` its mint
/// authority.
async fn hooked_mint(r: &mut Registry, authority: &Pubkey) -> Pubkey {
    let hook = MintExtension::FixedTransferHook(transfer_hook::ID);
    r.env.create_mint_with_extensions(6, authority, &[hook]).await
}

#[tokio::test]
async fn gate_mint_by_the_mint_authority_of_a_hooked_mint_writes_the_validation_account() {
    let (mut r, attestor) = hook().await;
    let authority = r.env.funded_keypair(1_000_000_000).await;
    let mint = hooked_mint(&mut r, &authority.pubkey()).await;
    let k = authority.pubkey();
    r.env.send_ok(&[gate_mint_ix(&k, &k, &mint, &attestor.pubkey())], &[&authority]).await;
    let gate: MintGate = r.env.anchor_account(mint_gate_pda(&mint)).await;
    assert_eq!((gate.mint, gate.attestor), (mint, attestor.pubkey()));
    let metas = r.env.account(extra_account_metas_pda(&mint)).await.expect("validation");
    assert_eq!((metas.owner, metas.data.len()), (transfer_hook::ID, 121));
    // one gate per mint
    let again = gate_mint_ix(&k, &k, &mint, &attestor.pubkey());
    r.env.send_expect_failure(&[again], &[&authority]).await;
}

#[tokio::test]
async fn gate_mint_refuses_mints_not_hooked_to_this_program_without_an_authority() {
    let (mut r, attestor) = hook().await;
    let authority = r.env.funded_keypair(1_000_000_000).await;
    let k = authority.pubkey();
    let cases = [
        vec![],
        vec![MintExtension::FixedTransferHook(Pubkey::new_unique())],
        // hooked to this program, but a hook authority could point it elsewhere
        vec![MintExtension::TransferHook(transfer_hook::ID)],
    ];
    for extensions in cases {
        let mint = r.env.create_mint_with_extensions(6, &k, &extensions).await;
        let ix = gate_mint_ix(&k, &k, &mint, &attestor.pubkey());
        r.env.send_expect_error(&[ix], &[&authority], HookError::MintNotHooked).await;
        assert!(r.env.account(mint_gate_pda(&mint)).await.is_none());
    }
}

#[tokio::test]
async fn gate_mint_refuses_a_signer_that_is_not_the_mint_authority() {
    let (mut r, attestor) = hook().await;
    let authority = Pubkey::new_unique();
    let mint = hooked_mint(&mut r, &authority).await;
    let impostor = r.env.funded_keypair(1_000_000_000).await;
    let k = impostor.pubkey();
    let ix = gate_mint_ix(&k, &k, &mint, &attestor.pubkey());
    r.env.send_expect_error(&[ix], &[&impostor], HookError::NotMintAuthority).await;
    assert!(r.env.account(mint_gate_pda(&mint)).await.is_none());
}

#[tokio::test]
async fn gate_mint_refuses_a_suspended_attestor() {
    let (mut r, attestor) = hook().await;
    let guardian = r.guardian.insecure_clone();
    let suspend =
        set_attestor_status_ix(&guardian.pubkey(), &attestor.pubkey(), AttestorStatus::Suspended);
    r.env.send_ok(&[suspend], &[&guardian]).await;
    let authority = r.env.funded_keypair(1_000_000_000).await;
    let k = authority.pubkey();
    let mint = hooked_mint(&mut r, &k).await;
    let ix = gate_mint_ix(&k, &k, &mint, &attestor.pubkey());
    r.env.send_expect_error(&[ix], &[&authority], HookError::AttestorNotApproved).await;
}

#[tokio::test]
async fn attest_refuses_the_default_pubkey_as_holder() {
    let (mut r, attestor) = hook().await;
    let expires = r.env.clock().await.unix_timestamp + YEAR;
    let nobody = Pubkey::default();
    let ix = attest_ix(&attestor.pubkey(), &nobody, expires, *b"DE");
    r.env.send_expect_error(&[ix], &[&attestor], HookError::InvalidHolder).await;
    assert!(r.env.account(attestation_pda(&attestor.pubkey(), &nobody)).await.is_none());
}

/// A hooked mint gated by its (funded) mint authority with `attestor`; returns the authority
/// and the mint.
async fn gated_mint(r: &mut Registry, attestor: &Pubkey) -> (Keypair, Pubkey) {
    let authority = r.env.funded_keypair(1_000_000_000).await;
    let k = authority.pubkey();
    let mint = hooked_mint(r, &k).await;
    r.env.send_ok(&[gate_mint_ix(&k, &k, &mint, attestor)], &[&authority]).await;
    (authority, mint)
}

#[tokio::test]
async fn set_mint_attestor_by_the_admin_rebinds_the_gate_and_leaves_the_validation_account() {
    let (mut r, attestor) = hook().await;
    let (_, mint) = gated_mint(&mut r, &attestor.pubkey()).await;
    let admin = r.admin.insecure_clone();
    let next = Pubkey::new_unique();
    r.env.send_ok(&[approve_attestor_ix(&admin.pubkey(), &next)], &[&admin]).await;
    let metas = r.env.account(extra_account_metas_pda(&mint)).await.expect("validation");
    r.env.send_ok(&[set_mint_attestor_ix(&admin.pubkey(), &mint, &next)], &[&admin]).await;
    let gate: MintGate = r.env.anchor_account(mint_gate_pda(&mint)).await;
    assert_eq!((gate.mint, gate.attestor), (mint, next));
    let after = r.env.account(extra_account_metas_pda(&mint)).await.expect("validation");
    assert_eq!(after.data, metas.data, "the extra metas read the gate; nothing to rewrite");
}

#[tokio::test]
async fn set_mint_attestor_refuses_a_non_admin_the_same_attestor_and_an_unapproved_one() {
    let (mut r, attestor) = hook().await;
    let (issuer, mint) = gated_mint(&mut r, &attestor.pubkey()).await;
    let (admin, guardian) = (r.admin.insecure_clone(), r.guardian.insecure_clone());
    let next = r.env.funded_keypair(100_000_000).await;
    let n = next.pubkey();
    r.env.send_ok(&[approve_attestor_ix(&admin.pubkey(), &n)], &[&admin]).await;
    // admin only: not the guardian, the mint's authority (the issuer) or either attestor
    for signer in [guardian.insecure_clone(), issuer, attestor.insecure_clone(), next] {
        let ix = set_mint_attestor_ix(&signer.pubkey(), &mint, &n);
        r.env.send_expect_error(&[ix], &[&signer], ErrorCode::ConstraintHasOne).await;
    }
    let a = attestor.pubkey();
    let same = set_mint_attestor_ix(&admin.pubkey(), &mint, &a);
    r.env.send_expect_error(&[same], &[&admin], HookError::SameAttestor).await;
    // suspended, and never approved (no record)
    let suspended = Pubkey::new_unique();
    let ixs = [
        approve_attestor_ix(&admin.pubkey(), &suspended),
        set_attestor_status_ix(&guardian.pubkey(), &suspended, AttestorStatus::Suspended),
    ];
    r.env.send_ok(&ixs, &[&admin, &guardian]).await;
    let ix = set_mint_attestor_ix(&admin.pubkey(), &mint, &suspended);
    r.env.send_expect_error(&[ix], &[&admin], HookError::AttestorNotApproved).await;
    let ix = set_mint_attestor_ix(&admin.pubkey(), &mint, &Pubkey::new_unique());
    r.env.send_expect_error(&[ix], &[&admin], ErrorCode::AccountNotInitialized).await;
    let gate: MintGate = r.env.anchor_account(mint_gate_pda(&mint)).await;
    assert_eq!(gate.attestor, a);
}
