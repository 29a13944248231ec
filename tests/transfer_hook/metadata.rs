//! Token-2022 unit mints carry their metadata (pointer to the mint itself, name, symbol, URI,
//! the pool's document hash and grade); SPL Token units carry none.
use anchor_spl::token_2022::spl_token_2022::{
    extension::{
        metadata_pointer::MetadataPointer, transfer_hook::TransferHook, BaseStateWithExtensions,
        PodStateWithExtensions,
    },
    pod::PodMint,
};
use anchor_spl::token_2022_extensions::spl_token_metadata_interface::state::TokenMetadata;
use receivables::{errors::ReceivablesError, state::UnitAccess, CreatePoolParams};
use rwa_testkit::{
    prelude::*,
    registry::{pool_params, pool_pda, unit_mint_pda, Registry},
    spl_token_2022,
};

async fn metadata_of(r: &mut Registry, mint: &Pubkey) -> (TokenMetadata, Option<Pubkey>) {
    let account = r.env.account(*mint).await.expect("mint");
    assert_eq!(account.owner, spl_token_2022::ID);
    let state = PodStateWithExtensions::<PodMint>::unpack(&account.data).expect("mint");
    let pointer = state.get_extension::<MetadataPointer>().expect("metadata pointer");
    assert_eq!(Option::<Pubkey>::from(pointer.metadata_address), Some(*mint));
    assert_eq!(Option::<Pubkey>::from(pointer.authority), None);
    let metadata = state.get_variable_len_extension::<TokenMetadata>().expect("metadata");
    let hook = state.get_extension::<TransferHook>().ok().and_then(|h| h.program_id.into());
    (metadata, hook)
}

#[tokio::test]
async fn open_token_2022_units_carry_name_symbol_uri_doc_hash_and_grade() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_token_2022_pool(0, None).await;
    let mint = unit_mint_pda(&pool);
    let (m, hook) = metadata_of(&mut r, &mint).await;
    let params = pool_params(r.now);
    assert_eq!(m.name, params.name);
    assert_eq!(m.symbol, params.symbol);
    assert_eq!(m.uri, params.uri);
    assert_eq!(m.mint, mint);
    assert_eq!(Option::<Pubkey>::from(m.update_authority), Some(pool));
    assert_eq!(
        m.additional_metadata,
        vec![("doc_hash".to_string(), "07".repeat(32)), ("grade".to_string(), "B".to_string())]
    );
    assert_eq!(hook, None, "open units have no transfer hook");
}

#[tokio::test]
async fn permissioned_units_carry_the_metadata_and_name_the_protocols_hook() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let attestor = r.init_hook().await;
    let (pool, _) = r.active_token_2022_pool(0, Some(&attestor)).await;
    let mint = unit_mint_pda(&pool);
    let (m, hook) = metadata_of(&mut r, &mint).await;
    assert_eq!(m.symbol, "RWAU");
    assert_eq!(m.additional_metadata[1], ("grade".to_string(), "B".to_string()));
    assert_eq!(hook, Some(transfer_hook::ID));
    let gate: transfer_hook::state::MintGate =
        r.env.anchor_account(rwa_testkit::transfer_hook::mint_gate_pda(&mint)).await;
    assert_eq!((gate.mint, gate.attestor), (mint, attestor.pubkey()));
    let metas = rwa_testkit::transfer_hook::extra_account_metas_pda(&mint);
    let validation = r.env.account(metas).await.expect("validation account");
    assert_eq!((validation.owner, validation.data.len()), (transfer_hook::ID, 121));
}

#[tokio::test]
async fn classic_units_stay_bare_mints() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, _) = r.active_pool(0).await;
    let account = r.env.account(unit_mint_pda(&pool)).await.expect("mint");
    assert_eq!(account.owner, rwa_testkit::spl_token::ID);
    assert_eq!(account.data.len(), 82);
}

#[tokio::test]
async fn metadata_out_of_bounds_and_permissioned_classic_units_are_refused() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let attestor = r.init_hook().await;
    let issuer = r.issuer.insecure_clone();
    let base = pool_params(r.now);
    let cases = [
        (
            CreatePoolParams { name: String::new(), ..base.clone() },
            ReceivablesError::InvalidUnitMetadata,
        ),
        (
            CreatePoolParams { name: "n".repeat(33), ..base.clone() },
            ReceivablesError::InvalidUnitMetadata,
        ),
        (
            CreatePoolParams { symbol: "S".repeat(11), ..base.clone() },
            ReceivablesError::InvalidUnitMetadata,
        ),
    ];
    for (params, expected) in cases {
        let ix = r.create_token_2022_pool_ix(0, params, None);
        r.env.send_expect_error(&[ix], &[&issuer], expected).await;
    }
    // permissioned units under classic SPL Token
    let params = CreatePoolParams { unit_access: UnitAccess::Permissioned, ..base.clone() };
    let ix = r.create_pool_ix(0, params);
    r.env
        .send_expect_error(&[ix], &[&issuer], ReceivablesError::PermissionedUnitsNeedToken2022)
        .await;
    // permissioned units without the hook accounts
    let params = CreatePoolParams { unit_access: UnitAccess::Permissioned, ..base.clone() };
    let ix = r.create_token_2022_pool_ix(0, params, None);
    r.env.send_expect_error(&[ix], &[&issuer], ReceivablesError::TransferHookAccountsMissing).await;
    // nothing was created
    assert!(r.env.account(pool_pda(&issuer.pubkey(), 0)).await.is_none());
    let _ = attestor;
}
