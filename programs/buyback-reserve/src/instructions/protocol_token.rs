//! The protocol token: a fixed supply minted once into the treasury (mint authority revoked at
//! once), released only by the admin; staking it earns a stated share of protocol fees.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Mint, MintTo, SetAuthority, TokenAccount, TokenInterface};
use rwa_math::Fixed;

use crate::{
    errors::ReserveError,
    instructions::deposit::open_position,
    seeds,
    state::{add, sub, Position, PositionKind, ReserveBook, ReserveConfig},
    token_ops,
};

/// Decimals of the protocol token.
pub const PROTOCOL_DECIMALS: u8 = 6;

#[derive(Accounts)]
pub struct CreateProtocolToken<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(mut, seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, ReserveConfig>>,
    #[account(
        init, payer = admin, seeds = [seeds::PROTOCOL_MINT], bump,
        mint::decimals = PROTOCOL_DECIMALS, mint::authority = config,
        mint::token_program = token_program,
    )]
    pub protocol_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        init, payer = admin, seeds = [seeds::TREASURY], bump,
        token::mint = protocol_mint, token::authority = config,
        token::token_program = token_program,
    )]
    pub treasury: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        init, payer = admin, seeds = [seeds::STAKE_VAULT], bump,
        token::mint = protocol_mint, token::authority = config,
        token::token_program = token_program,
    )]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.token_program @ ReserveError::AccountMismatch)]
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

#[derive(Accounts)]
pub struct TransferTreasury<'info> {
    pub admin: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, ReserveConfig>>,
    #[account(address = config.protocol_mint @ ReserveError::NoProtocolToken)]
    pub protocol_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, address = config.treasury @ ReserveError::AccountMismatch)]
    pub treasury: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, token::mint = protocol_mint, token::token_program = token_program)]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.token_program @ ReserveError::AccountMismatch)]
    pub token_program: Interface<'info, TokenInterface>,
}

#[derive(Accounts)]
pub struct StakeProtocol<'info> {
    #[account(mut)]
    pub staker: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, ReserveConfig>>,
    #[account(mut, seeds = [seeds::BOOK], bump = book.bump)]
    pub book: Box<Account<'info, ReserveBook>>,
    #[account(
        init_if_needed,
        payer = staker,
        space = 8 + Position::INIT_SPACE,
        seeds = [seeds::POSITION, &[PositionKind::Protocol as u8], staker.key().as_ref()],
        bump,
    )]
    pub position: Box<Account<'info, Position>>,
    #[account(
        mut,
        token::mint = protocol_mint,
        token::authority = staker,
        token::token_program = token_program,
    )]
    pub staker_tokens: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.protocol_mint @ ReserveError::NoProtocolToken)]
    pub protocol_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, address = config.stake_vault @ ReserveError::AccountMismatch)]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.token_program @ ReserveError::AccountMismatch)]
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

#[derive(Accounts)]
pub struct UnstakeProtocol<'info> {
    pub owner: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, ReserveConfig>>,
    #[account(mut, seeds = [seeds::BOOK], bump = book.bump)]
    pub book: Box<Account<'info, ReserveBook>>,
    #[account(
        mut,
        seeds = [seeds::POSITION, &[PositionKind::Protocol as u8], owner.key().as_ref()],
        bump = position.bump,
        has_one = owner @ ReserveError::AccountMismatch,
    )]
    pub position: Box<Account<'info, Position>>,
    #[account(mut, token::mint = protocol_mint, token::token_program = token_program)]
    pub owner_tokens: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.protocol_mint @ ReserveError::NoProtocolToken)]
    pub protocol_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, address = config.stake_vault @ ReserveError::AccountMismatch)]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.token_program @ ReserveError::AccountMismatch)]
    pub token_program: Interface<'info, TokenInterface>,
}

#[derive(Accounts)]
pub struct ClaimRewards<'info> {
    pub owner: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, ReserveConfig>>,
    #[account(mut, seeds = [seeds::BOOK], bump = book.bump)]
    pub book: Box<Account<'info, ReserveBook>>,
    #[account(
        mut,
        seeds = [seeds::POSITION, &[PositionKind::Protocol as u8], owner.key().as_ref()],
        bump = position.bump,
        has_one = owner @ ReserveError::AccountMismatch,
    )]
    pub position: Box<Account<'info, Position>>,
    #[account(mut, token::mint = stable_mint, token::token_program = token_program)]
    pub owner_stable: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.stable_mint @ ReserveError::AccountMismatch)]
    pub stable_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, address = config.rewards_vault @ ReserveError::AccountMismatch)]
    pub rewards_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.token_program @ ReserveError::AccountMismatch)]
    pub token_program: Interface<'info, TokenInterface>,
}

#[event]
pub struct ProtocolTokenCreated {
    pub mint: Pubkey,
    pub treasury: Pubkey,
    pub supply: u64,
}

#[event]
pub struct TreasuryTransferred {
    pub destination: Pubkey,
    pub amount: u64,
    pub left: u64,
}

#[event]
pub struct ProtocolStaked {
    pub owner: Pubkey,
    pub amount: u64,
    pub staked: u64,
}

#[event]
pub struct ProtocolUnstaked {
    pub owner: Pubkey,
    pub amount: u64,
    pub staked: u64,
}

#[event]
pub struct RewardsClaimed {
    pub owner: Pubkey,
    pub amount: u64,
}

/// Admin, once: creates the protocol mint (6 decimals), mints `supply` into the treasury and
/// revokes the mint authority, so the supply is fixed forever.
pub fn handle_create(mut ctx: Context<CreateProtocolToken>, supply: u64) -> Result<()> {
    let a = &mut ctx.accounts;
    require_keys_eq!(a.config.protocol_mint, Pubkey::default(), ReserveError::ProtocolTokenExists);
    require!(supply > 0, ReserveError::InvalidAmount);
    let seeds = a.config.signer_seeds();
    let config_info = a.config.to_account_info();
    token_interface::mint_to(
        CpiContext::new_with_signer(
            a.token_program.key(),
            MintTo {
                mint: a.protocol_mint.to_account_info(),
                to: a.treasury.to_account_info(),
                authority: config_info.clone(),
            },
            &[&seeds],
        ),
        supply,
    )?;
    token_interface::set_authority(
        CpiContext::new_with_signer(
            a.token_program.key(),
            SetAuthority {
                current_authority: config_info,
                account_or_mint: a.protocol_mint.to_account_info(),
            },
            &[&seeds],
        ),
        anchor_spl::token_2022::spl_token_2022::instruction::AuthorityType::MintTokens,
        None,
    )?;
    a.config.protocol_mint = a.protocol_mint.key();
    a.config.treasury = a.treasury.key();
    a.config.stake_vault = a.stake_vault.key();
    a.config.invariant()?;
    emit!(ProtocolTokenCreated { mint: a.protocol_mint.key(), treasury: a.treasury.key(), supply });
    Ok(())
}

/// Admin: releases `amount` protocol tokens from the treasury (grants, liquidity, a DAO).
pub fn handle_transfer_treasury(mut ctx: Context<TransferTreasury>, amount: u64) -> Result<()> {
    let a = &mut ctx.accounts;
    require!(amount > 0 && amount <= a.treasury.amount, ReserveError::InvalidAmount);
    let config = &a.config;
    token_ops::transfer(
        &a.token_program,
        &a.treasury,
        &mut a.destination,
        &a.protocol_mint,
        config.to_account_info(),
        Some(config),
        amount,
    )?;
    a.treasury.reload()?;
    emit!(TreasuryTransferred {
        destination: a.destination.key(),
        amount,
        left: a.treasury.amount
    });
    Ok(())
}

/// Stakes `amount` protocol tokens (rewards so far are settled first). Refused while paused.
pub fn handle_stake(mut ctx: Context<StakeProtocol>, amount: u64) -> Result<()> {
    let a = &mut ctx.accounts;
    require!(!a.config.paused, ReserveError::Paused);
    require!(amount > 0, ReserveError::InvalidAmount);
    let received = token_ops::transfer(
        &a.token_program,
        &a.staker_tokens,
        &mut a.stake_vault,
        &a.protocol_mint,
        a.staker.to_account_info(),
        None,
        amount,
    )?;
    let owner = a.staker.key();
    open_position(&mut a.position, owner, PositionKind::Protocol, ctx.bumps.position);
    let acc = Fixed::from_raw(a.book.reward_per_token);
    a.position.settle_rewards(acc)?;
    a.position.shares = add(a.position.shares, received)?;
    a.book.staked = add(a.book.staked, received)?;
    a.position.invariant()?;
    a.book.invariant()?;
    emit!(ProtocolStaked { owner, amount: received, staked: a.book.staked });
    Ok(())
}

/// Unstakes `amount` (requested, within the window after the cooldown); rewards so far are
/// settled and stay claimable. Never paused.
pub fn handle_unstake(mut ctx: Context<UnstakeProtocol>, amount: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = &mut ctx.accounts;
    let p = a.config.params;
    a.position.require_in_window(now, p.stake_cooldown_secs, p.stake_window_secs)?;
    let acc = Fixed::from_raw(a.book.reward_per_token);
    a.position.settle_rewards(acc)?;
    a.position.take_exiting(amount)?;
    a.book.staked = sub(a.book.staked, amount)?;
    let config = &a.config;
    token_ops::transfer(
        &a.token_program,
        &a.stake_vault,
        &mut a.owner_tokens,
        &a.protocol_mint,
        config.to_account_info(),
        Some(config),
        amount,
    )?;
    a.position.invariant()?;
    a.book.invariant()?;
    emit!(ProtocolUnstaked { owner: a.owner.key(), amount, staked: a.book.staked });
    Ok(())
}

/// Pays the staker's settled and newly accrued rewards (stable). Never paused.
pub fn handle_claim_rewards(mut ctx: Context<ClaimRewards>) -> Result<()> {
    let a = &mut ctx.accounts;
    a.position.settle_rewards(Fixed::from_raw(a.book.reward_per_token))?;
    let amount = a.position.rewards_owed;
    require!(amount > 0, ReserveError::NothingOwed);
    a.position.rewards_owed = 0;
    a.book.rewards_cash = sub(a.book.rewards_cash, amount)?;
    let config = &a.config;
    token_ops::transfer(
        &a.token_program,
        &a.rewards_vault,
        &mut a.owner_stable,
        &a.stable_mint,
        config.to_account_info(),
        Some(config),
        amount,
    )?;
    a.book.invariant()?;
    emit!(RewardsClaimed { owner: a.owner.key(), amount });
    Ok(())
}
