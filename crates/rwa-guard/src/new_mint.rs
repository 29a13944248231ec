//! A protocol mint created at a PDA, as receivables' unit mints and value-anchor's anchor mint
//! are: under SPL Token a bare mint; under Token-2022 with a metadata pointer to the mint itself
//! (no pointer authority) and the token metadata wallets and explorers show (name, symbol, URI
//! and any additional fields), its update authority the mint authority (a PDA). Extra
//! extensions (a transfer hook) are the caller's, initialised between the pointer and the mint.
use anchor_lang::{prelude::*, system_program};
use anchor_spl::{
    token_2022::spl_token_2022::{self, extension::ExtensionType, state::Mint as SplMint},
    token_2022_extensions::{
        metadata_pointer_initialize,
        spl_token_metadata_interface::state::{Field, TokenMetadata},
        token_metadata_initialize, token_metadata_update_field, MetadataPointerInitialize,
        TokenMetadataInitialize, TokenMetadataUpdateField,
    },
    token_interface::{self, InitializeMint2},
};

/// The accounts and signers of a new PDA mint.
pub struct NewMint<'a, 'info> {
    pub payer: AccountInfo<'info>,
    pub system_program: AccountInfo<'info>,
    /// SPL Token or Token-2022.
    pub token_program: AccountInfo<'info>,
    pub mint: AccountInfo<'info>,
    pub mint_seeds: &'a [&'a [u8]],
    /// Mint authority and (Token-2022) metadata update authority: a PDA signing with
    /// `authority_seeds`. No freeze authority.
    pub authority: AccountInfo<'info>,
    pub authority_seeds: &'a [&'a [u8]],
    pub decimals: u8,
}

impl NewMint<'_, '_> {
    pub fn is_token_2022(&self) -> bool {
        *self.token_program.key == spl_token_2022::ID
    }

    /// Creates the mint: with `metadata` (Token-2022 only; `None` for a bare mint), and the
    /// `extensions` that `init_extensions` initialises before the mint itself.
    pub fn create(
        &self,
        metadata: Option<&TokenMetadata>,
        extensions: &[ExtensionType],
        init_extensions: impl FnOnce() -> Result<()>,
    ) -> Result<()> {
        let mut all = extensions.to_vec();
        if metadata.is_some() {
            all.push(ExtensionType::MetadataPointer);
        }
        let space = ExtensionType::try_calculate_account_len::<SplMint>(&all)?;
        let metadata_len = match metadata {
            Some(m) => m.tlv_size_of()?,
            None => 0,
        };
        let lamports = Rent::get()?.minimum_balance(space + metadata_len);
        create_pda(
            &self.payer,
            &self.system_program,
            &self.mint,
            self.mint_seeds,
            lamports,
            space,
            self.token_program.key,
        )?;

        let program = &self.token_program;
        let mint = &self.mint;
        if metadata.is_some() {
            metadata_pointer_initialize(
                CpiContext::new(
                    program.key(),
                    MetadataPointerInitialize {
                        token_program_id: program.clone(),
                        mint: mint.clone(),
                    },
                ),
                None,
                Some(mint.key()),
            )?;
        }
        init_extensions()?;
        token_interface::initialize_mint2(
            CpiContext::new(program.key(), InitializeMint2 { mint: mint.clone() }),
            self.decimals,
            self.authority.key,
            None,
        )?;
        let Some(metadata) = metadata else { return Ok(()) };
        let signer: &[&[&[u8]]] = &[self.authority_seeds];
        token_metadata_initialize(
            CpiContext::new_with_signer(
                program.key(),
                TokenMetadataInitialize {
                    program_id: program.clone(),
                    metadata: mint.clone(),
                    update_authority: self.authority.clone(),
                    mint_authority: self.authority.clone(),
                    mint: mint.clone(),
                },
                signer,
            ),
            metadata.name.clone(),
            metadata.symbol.clone(),
            metadata.uri.clone(),
        )?;
        for (key, value) in &metadata.additional_metadata {
            token_metadata_update_field(
                CpiContext::new_with_signer(
                    program.key(),
                    TokenMetadataUpdateField {
                        program_id: program.clone(),
                        metadata: mint.clone(),
                        update_authority: self.authority.clone(),
                    },
                    signer,
                ),
                Field::Key(key.clone()),
                value.clone(),
            )?;
        }
        Ok(())
    }
}

/// Creates the PDA `account` (signed by `seeds`) with `lamports`, `space` and `owner`; when
/// someone already sent lamports to the address, tops it up, allocates and assigns instead
/// (as Anchor's `init` does), so a pre-funded address cannot block the creation.
pub fn create_pda<'info>(
    payer: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    account: &AccountInfo<'info>,
    seeds: &[&[u8]],
    lamports: u64,
    space: usize,
    owner: &Pubkey,
) -> Result<()> {
    let system = system_program.key();
    let current = account.lamports();
    if current == 0 {
        return system_program::create_account(
            CpiContext::new_with_signer(
                system,
                system_program::CreateAccount { from: payer.clone(), to: account.clone() },
                &[seeds],
            ),
            lamports,
            space as u64,
            owner,
        );
    }
    let top_up = lamports.saturating_sub(current);
    if top_up > 0 {
        system_program::transfer(
            CpiContext::new(
                system,
                system_program::Transfer { from: payer.clone(), to: account.clone() },
            ),
            top_up,
        )?;
    }
    system_program::allocate(
        CpiContext::new_with_signer(
            system,
            system_program::Allocate { account_to_allocate: account.clone() },
            &[seeds],
        ),
        space as u64,
    )?;
    system_program::assign(
        CpiContext::new_with_signer(
            system,
            system_program::Assign { account_to_assign: account.clone() },
            &[seeds],
        ),
        owner,
    )
}
