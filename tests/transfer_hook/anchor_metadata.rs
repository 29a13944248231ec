//! The anchor token: under Token-2022 (the protocol's default) a mint with a metadata pointer to
//! itself and the token metadata wallets show (name, symbol, URI; update authority value-anchor's
//! config), no other extension; under SPL Token a bare mint. The anchor token program
//! value-anchor's config names is the only one its mints and burns and the reserve's anchor bid
//! and crank accept.
use anchor_lang::solana_program::program_pack::Pack;
use anchor_spl::token_2022::spl_token_2022::{
    extension::{
        metadata_pointer::MetadataPointer, BaseStateWithExtensions, ExtensionType,
        PodStateWithExtensions,
    },
    pod::PodMint,
};
use anchor_spl::token_2022_extensions::spl_token_metadata_interface::state::TokenMetadata;
use buyback_reserve::{errors::ReserveError, state::ReserveConfig};
use rwa_testkit::{
    anchor_token::{self as va, init_params, ANCHOR_NAME, ANCHOR_SYMBOL, ANCHOR_URI},
    authority::program_data_address,
    prelude::*,
    registry::FACE,
    reserve::{self as br, ReserveFixture},
    spl_token, spl_token_2022,
};
use value_anchor::{
    errors::AnchorTokenError,
    state::RESERVE_DECIMALS,
    state::{AnchorConfig, MAX_ANCHOR_NAME_LEN, MAX_ANCHOR_SYMBOL_LEN, MAX_ANCHOR_URI_LEN},
    InitializeParams,
};

/// The anchor mint's metadata, after checking it is a Token-2022 mint whose only extensions
/// are the metadata pointer (to itself, no authority) and the metadata, with value-anchor's
/// config as mint authority and no freeze authority.
async fn anchor_metadata(env: &mut TestEnv) -> TokenMetadata {
    let mint = va::anchor_mint_pda();
    let account = env.account(mint).await.expect("anchor mint");
    assert_eq!(account.owner, spl_token_2022::ID);
    let state = PodStateWithExtensions::<PodMint>::unpack(&account.data).expect("mint");
    let types = state.get_extension_types().expect("extension types");
    assert_eq!(types, vec![ExtensionType::MetadataPointer, ExtensionType::TokenMetadata]);
    let pointer = state.get_extension::<MetadataPointer>().expect("metadata pointer");
    assert_eq!(Option::<Pubkey>::from(pointer.metadata_address), Some(mint), "points to itself");
    assert_eq!(Option::<Pubkey>::from(pointer.authority), None, "nobody can repoint it");
    let base = spl_token_2022::state::Mint::unpack_from_slice(&account.data[..82]).expect("base");
    assert_eq!(base.mint_authority, Some(va::config_pda()).into());
    assert_eq!(base.freeze_authority, None.into());
    assert_eq!(base.decimals, RESERVE_DECIMALS);
    let metadata = state.get_variable_len_extension::<TokenMetadata>().expect("metadata");
    assert_eq!(metadata.mint, mint);
    metadata
}

/// Both configs name `program` as the anchor token's, and the anchor token goes through every
/// flow: minted by an exchange and the PSM, sold to the reserve's bid, burned by the reserve's
/// crank and by a PSM redemption.
async fn every_anchor_flow(fx: &mut ReserveFixture, program: Pubkey) {
    let config: AnchorConfig = fx.env().anchor_account(va::config_pda()).await;
    assert_eq!(config.anchor_token_program, program);
    assert_eq!(config.token_program, spl_token::ID, "the stablecoin keeps its own program");
    let reserve: ReserveConfig = fx.env().anchor_account(br::config_pda()).await;
    assert_eq!(reserve.anchor_token_program, program);
    let ixs = fx.a.exchange_ixs(FACE / 10, 1);
    fx.as_holder(&ixs).await;
    let ix = fx.a.mint_ix(FACE / 20, 1);
    fx.as_holder(&[ix]).await;
    let held = fx.holder_anchor().await;
    let ix = fx.sell_anchor_ix(held / 4, 0);
    fx.as_holder(&[ix]).await;
    assert_eq!(fx.book().await.anchor_held, held / 4);
    let ix = fx.redeem_anchor_ix();
    fx.env().send_ok(&[ix], &[]).await;
    assert_eq!(fx.book().await.anchor_held, 0);
    let ix = fx.a.redeem_ix(held / 100, 1);
    fx.as_holder(&[ix]).await;
    let left = held - held / 4 - held / 100;
    assert_eq!(fx.holder_anchor().await, left);
    assert_eq!(fx.env().mint_supply(va::anchor_mint_pda()).await, left);
}

#[tokio::test]
async fn the_anchor_token_carries_name_symbol_uri_and_points_to_itself() {
    let mut fx = ReserveFixture::new().await;
    let m = anchor_metadata(fx.env()).await;
    assert_eq!((m.name.as_str(), m.symbol.as_str()), (ANCHOR_NAME, ANCHOR_SYMBOL));
    assert_eq!(m.uri, ANCHOR_URI);
    assert_eq!(Option::<Pubkey>::from(m.update_authority), Some(va::config_pda()));
    assert!(m.additional_metadata.is_empty());
    // SPEC.md's size: 318 bytes + the name, symbol and URI
    let mint = fx.env().account(va::anchor_mint_pda()).await.expect("anchor mint");
    let text = ANCHOR_NAME.len() + ANCHOR_SYMBOL.len() + ANCHOR_URI.len();
    assert_eq!(mint.data.len(), 318 + text);
    // the holder's (associated: immutable owner) and the reserve's anchor accounts live under
    // Token-2022; the vault has no extension (buyback-reserve's SPEC.md size)
    let holder_anchor = fx.a.holder_anchor;
    for (account, size) in [(holder_anchor, 170), (br::anchor_vault_pda(), 165)] {
        let account = fx.env().account(account).await.expect("anchor account");
        assert_eq!((account.owner, account.data.len()), (spl_token_2022::ID, size));
    }
    every_anchor_flow(&mut fx, spl_token_2022::ID).await;
    assert_eq!(anchor_metadata(fx.env()).await, m, "the metadata stays as set at creation");
}

#[tokio::test]
async fn a_classic_anchor_token_stays_a_bare_mint_through_every_flow() {
    let mut fx = ReserveFixture::with_anchor_program(TokenProgram::Classic).await;
    let account = fx.env().account(va::anchor_mint_pda()).await.expect("anchor mint");
    assert_eq!((account.owner, account.data.len()), (spl_token::ID, 82), "a bare mint");
    every_anchor_flow(&mut fx, spl_token::ID).await;
}

#[tokio::test]
async fn anchor_metadata_out_of_bounds_or_on_a_classic_mint_is_refused_by_name() {
    let mut env = TestEnv::start().await;
    let admin = env.funded_upgrade_authority(&value_anchor::ID).await;
    let reserve = env.create_mint(TokenProgram::Classic, RESERVE_DECIMALS, &admin.pubkey()).await;
    let base = init_params(Pubkey::new_unique(), TokenProgram::Token2022);
    let t22 = TokenProgram::Token2022;
    let with = |name: &str, symbol: &str, uri: &str| InitializeParams {
        name: name.into(),
        symbol: symbol.into(),
        uri: uri.into(),
        ..base.clone()
    };
    let long_name = "n".repeat(MAX_ANCHOR_NAME_LEN + 1);
    let long_symbol = "s".repeat(MAX_ANCHOR_SYMBOL_LEN + 1);
    let long_uri = "u".repeat(MAX_ANCHOR_URI_LEN + 1);
    let cases = [
        (t22, with("", "RWAD", ""), AnchorTokenError::InvalidAnchorName),
        (t22, with(&long_name, "RWAD", ""), AnchorTokenError::InvalidAnchorName),
        (t22, with("Anchor", "", ""), AnchorTokenError::InvalidAnchorSymbol),
        (t22, with("Anchor", &long_symbol, ""), AnchorTokenError::InvalidAnchorSymbol),
        (t22, with("Anchor", "RWAD", &long_uri), AnchorTokenError::InvalidAnchorUri),
        (TokenProgram::Classic, base.clone(), AnchorTokenError::AnchorMetadataNeedsToken2022),
        (TokenProgram::Classic, with("", "", "u"), AnchorTokenError::AnchorMetadataNeedsToken2022),
    ];
    let program_data = program_data_address(&value_anchor::ID);
    let classic = TokenProgram::Classic;
    for (program, params, error) in cases {
        let ix =
            va::initialize_ix(&admin.pubkey(), &program_data, &reserve, classic, program, params);
        env.send_expect_error(&[ix], &[&admin], error).await;
    }
    assert!(env.account(va::config_pda()).await.is_none());
    assert!(env.account(va::anchor_mint_pda()).await.is_none());
    // at the bounds
    let name = "n".repeat(MAX_ANCHOR_NAME_LEN);
    let symbol = "s".repeat(MAX_ANCHOR_SYMBOL_LEN);
    let uri = "u".repeat(MAX_ANCHOR_URI_LEN);
    let ix = va::initialize_ix(
        &admin.pubkey(),
        &program_data,
        &reserve,
        classic,
        t22,
        with(&name, &symbol, &uri),
    );
    env.send_ok(&[ix], &[&admin]).await;
    let m = anchor_metadata(&mut env).await;
    assert_eq!((m.name, m.symbol, m.uri), (name, symbol, uri));
}

#[tokio::test]
async fn a_wrong_anchor_token_program_is_refused_by_name() {
    let mut fx = ReserveFixture::new().await;
    let holder = fx.a.holder.insecure_clone();
    let wrong = spl_token::ID;
    // exchange into value-anchor
    let mut exchange = fx.a.exchange_accounts();
    exchange.anchor_token_program = wrong;
    let ixs = [fx.a.p.refresh_ix(), exchange.ix(FACE / 10, 1)];
    fx.env()
        .send_expect_error_from(
            &ixs,
            &[&holder],
            1,
            value_anchor::ID,
            AnchorTokenError::AnchorTokenProgramMismatch,
        )
        .await;
    // the PSM, both ways
    let mut psm = fx.a.psm();
    psm.anchor_token_program = wrong;
    for ix in [psm.mint_ix(FACE / 20, 1), psm.redeem_ix(1_000_000, 1)] {
        let error = AnchorTokenError::AnchorTokenProgramMismatch;
        fx.env().send_expect_error(&[ix], &[&holder], error).await;
    }
    // the reserve's anchor bid and its crank, once the holder has anchor tokens to sell
    let ixs = fx.a.exchange_ixs(FACE / 10, 1);
    fx.as_holder(&ixs).await;
    let (currency, classic) = (fx.stable_mint(), spl_token::ID);
    let a = &fx.a;
    let ix = br::sell_anchor_with_ix(
        &holder.pubkey(),
        &a.holder_anchor,
        &a.holder_stable,
        &currency,
        &classic,
        &wrong,
        &a.accepted,
        1_000_000,
        0,
    );
    fx.env().send_expect_error(&[ix], &[&holder], ReserveError::AnchorTokenProgramMismatch).await;
    let ix = fx.sell_anchor_ix(1_000_000, 0);
    fx.as_holder(&[ix]).await;
    let ix = br::redeem_anchor_with_ix(&currency, &classic, &wrong, &fx.a.accepted);
    fx.env().send_expect_error(&[ix], &[], ReserveError::AnchorTokenProgramMismatch).await;
    assert_eq!(fx.book().await.anchor_held, 1_000_000, "nothing redeemed");
}
