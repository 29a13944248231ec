//! The attacker: a [`SendHook`] that, before a targeted protocol instruction is sent for the
//! first time, sends it again and again with one account substituted (see [`Attack`]) against
//! the very state the instruction is about to run in, records how each attempt ended, and checks
//! that no account changed. The instruction itself is sent afterwards by the flow, which proves
//! that the state was one where it succeeds, so every refusal recorded is the substitution's.
//!
//! Instructions and account names come from the checked-in IDLs (`idl/*.json`); accounts past
//! the IDL's list are `remaining[i]`.
use std::{
    cell::RefCell,
    collections::{BTreeMap, HashMap, HashSet},
    future::Future,
    pin::Pin,
    rc::Rc,
    sync::OnceLock,
};

use anchor_lang::prelude::Pubkey;
use rwa_testkit::{
    authority::Administered,
    prelude::*,
    solana_sdk::{account::Account, transaction::TransactionError},
    spl_token, spl_token_2022,
    token::{MintExtension, TokenProgram},
    SendHook, TestEnv,
};

/// The owner given to look-alike accounts of [`Attack::Foreign`]: a program that does not exist.
pub const ATTACKER_PROGRAM: Pubkey = Pubkey::new_from_array([0xA7; 32]);

/// One way of substituting one account of an instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Attack {
    /// A signer that does not sign.
    Unsigned,
    /// Someone else signs in the signer's place.
    Impostor,
    /// The same data and lamports at another address, owned by a program that is not the
    /// expected owner.
    Foreign,
    /// The same data, lamports and owner at another address (a look-alike: another pool's or a
    /// second account of the same type, as close as one can be); for an account that does not
    /// exist yet (one the instruction creates), another address.
    Clone,
    /// Another account of the same owner program but of another type, from the same
    /// transaction (type cosplay).
    Cosplay,
    /// Another writable account of the same instruction and owner in this one's place: the same
    /// account twice where two mutable ones are expected.
    Duplicate,
    /// A token account like this one but of another mint.
    WrongMint,
    /// A token account like this one but owned by the attacker.
    WrongOwner,
    /// Another program in a program's place (the other token program for a token program).
    WrongProgram,
    /// A Token-2022 mint with a permanent delegate (a dangerous extension) in a mint's place.
    DangerMint,
}

impl Attack {
    pub const ALL: [Attack; 10] = [
        Attack::Unsigned,
        Attack::Impostor,
        Attack::Foreign,
        Attack::Clone,
        Attack::Cosplay,
        Attack::Duplicate,
        Attack::WrongMint,
        Attack::WrongOwner,
        Attack::WrongProgram,
        Attack::DangerMint,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Attack::Unsigned => "unsigned",
            Attack::Impostor => "impostor",
            Attack::Foreign => "foreign",
            Attack::Clone => "clone",
            Attack::Cosplay => "cosplay",
            Attack::Duplicate => "duplicate",
            Attack::WrongMint => "wrong_mint",
            Attack::WrongOwner => "wrong_owner",
            Attack::WrongProgram => "wrong_program",
            Attack::DangerMint => "danger_mint",
        }
    }

    pub fn parse(s: &str) -> Option<Attack> {
        Attack::ALL.into_iter().find(|a| a.name() == s)
    }
}

/// One instruction of a program's IDL.
pub struct IdlIx {
    pub name: String,
    pub discriminator: [u8; 8],
    /// Flattened account names (`group.account` for composite accounts), in order.
    pub accounts: Vec<String>,
}

/// One program's IDL.
pub struct IdlProgram {
    pub id: Pubkey,
    pub name: String,
    pub instructions: Vec<IdlIx>,
}

fn flatten(prefix: &str, accounts: &[serde_json::Value], out: &mut Vec<String>) {
    for a in accounts {
        let name = a["name"].as_str().expect("account name");
        let full = if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") };
        match a.get("accounts").and_then(|g| g.as_array()) {
            Some(group) => flatten(&full, group, out),
            None => out.push(full),
        }
    }
}

fn parse_idl(json: &str) -> IdlProgram {
    let v: serde_json::Value = serde_json::from_str(json).expect("IDL json");
    let instructions = v["instructions"]
        .as_array()
        .expect("instructions")
        .iter()
        .map(|ix| {
            let mut accounts = Vec::new();
            flatten("", ix["accounts"].as_array().expect("accounts"), &mut accounts);
            let d: Vec<u8> = ix["discriminator"]
                .as_array()
                .expect("discriminator")
                .iter()
                .map(|b| b.as_u64().expect("byte") as u8)
                .collect();
            IdlIx {
                name: ix["name"].as_str().expect("name").to_string(),
                discriminator: d.try_into().expect("8-byte discriminator"),
                accounts,
            }
        })
        .collect();
    IdlProgram {
        id: v["address"].as_str().expect("address").parse().expect("program id"),
        name: v["metadata"]["name"].as_str().expect("program name").to_string(),
        instructions,
    }
}

/// The IDLs of every protocol program, as checked in.
pub fn idls() -> &'static [IdlProgram] {
    static IDLS: OnceLock<Vec<IdlProgram>> = OnceLock::new();
    IDLS.get_or_init(|| {
        [
            include_str!("../../idl/rwa_oracle.json"),
            include_str!("../../idl/receivables.json"),
            include_str!("../../idl/dcf_pricer.json"),
            include_str!("../../idl/value_anchor.json"),
            include_str!("../../idl/buyback_reserve.json"),
            include_str!("../../idl/transfer_hook.json"),
        ]
        .into_iter()
        .map(parse_idl)
        .collect()
    })
}

fn program_of(id: &Pubkey) -> Option<&'static IdlProgram> {
    idls().iter().find(|p| p.id == *id)
}

/// Token-2022's `transfer_checked` (instruction 12) of a permissioned mint, which names the
/// transfer hook's program among its accounts: the hook's `execute` only ever runs inside it
/// (Token-2022 calls it with the accounts the transfer was given; called directly it refuses,
/// `NotTransferring`), so the attacker targets `transfer_hook::execute` there. Its accounts, in
/// the transfer's order: Token-2022's four (Execute's first four), then the extras as clients
/// append them (mint gate, attestor, attestation, validation account) and the hook program
/// (`remaining[0]`).
fn hooked_transfer(ix: &Instruction) -> Option<(&'static IdlProgram, &'static IdlIx)> {
    static EXECUTE: OnceLock<IdlIx> = OnceLock::new();
    let is_hooked = ix.program_id == spl_token_2022::ID
        && ix.data.first() == Some(&12)
        && ix.accounts.iter().any(|m| m.pubkey == transfer_hook::ID);
    if !is_hooked {
        return None;
    }
    let program = program_of(&transfer_hook::ID)?;
    let execute = program.instructions.iter().find(|i| i.name == "execute")?;
    let ix = EXECUTE.get_or_init(|| IdlIx {
        name: execute.name.clone(),
        discriminator: execute.discriminator,
        accounts: [
            "source_token",
            "mint",
            "destination_token",
            "owner",
            "mint_gate",
            "attestor",
            "attestation",
            "extra_account_metas",
        ]
        .map(String::from)
        .to_vec(),
    });
    Some((program, ix))
}

fn instruction_of(ix: &Instruction) -> Option<(&'static IdlProgram, &'static IdlIx)> {
    if let Some(hooked) = hooked_transfer(ix) {
        return Some(hooked);
    }
    let program = program_of(&ix.program_id)?;
    let ix = program.instructions.iter().find(|i| ix.data.get(..8) == Some(&i.discriminator))?;
    Some((program, ix))
}

/// A short name for a program in outcomes.
fn program_name(id: &Pubkey) -> String {
    if let Some(p) = program_of(id) {
        return p.name.clone();
    }
    match *id {
        spl_token::ID => "spl_token".into(),
        spl_token_2022::ID => "spl_token_2022".into(),
        anchor_lang::solana_program::system_program::ID => "system".into(),
        id if id == anchor_spl::associated_token::ID => "associated_token".into(),
        other => other.to_string(),
    }
}

/// How a transaction ended, as the attack table writes it: `ok`, or
/// `<failing program>: <enum>::<Error>` (Anchor and protocol errors by name, SPL Token errors by
/// name, runtime errors by variant), with `@ix<n>` when another instruction than the attacked
/// one failed.
pub fn describe(result: &Result<Vec<String>, TxFailure>, ixs: &[Instruction], k: usize) -> String {
    let failure = match result {
        Ok(_) => return "ok".into(),
        Err(f) => f,
    };
    let (index, error) = match &failure.error {
        TransactionError::InstructionError(i, e) => (*i as usize, e),
        other => return format!("tx: {other:?}"),
    };
    let program = rwa_testkit::failing_program(&failure.logs)
        .or_else(|| ixs.get(index).map(|ix| ix.program_id))
        .unwrap_or_default();
    let what = match error {
        InstructionError::Custom(code) => {
            if let Some(d) = rwa_testkit::rwa_sdk::errors::decode_error(&program, *code) {
                format!("{}::{}", d.program, d.name)
            } else if program == spl_token::ID || program == spl_token_2022::ID {
                use spl_tlv_account_resolution::error::AccountResolutionError;
                // Token-2022 resolving a transfer hook's extra accounts fails with the TLV
                // account-resolution library's errors
                match spl_token_2022::error::TokenError::try_from(*code) {
                    Ok(e) => format!("token::{e:?}"),
                    Err(_) => match AccountResolutionError::try_from(*code) {
                        Ok(e) => format!("account_resolution::{e:?}"),
                        Err(_) => format!("custom {code}"),
                    },
                }
            } else {
                format!("custom {code}")
            }
        }
        other => format!("runtime::{other:?}"),
    };
    let at = if index == k { String::new() } else { format!(" @ix{index}") };
    format!("{}: {what}{at}", program_name(&program))
}

/// One attempt and how it ended.
#[derive(Clone, Debug)]
pub struct Observed {
    pub program: String,
    pub instruction: String,
    pub account: String,
    pub attack: Attack,
    pub outcome: String,
    /// Accounts a refused attempt changed (must be none).
    pub changed: Vec<Pubkey>,
}

/// What a flow's attacker saw.
#[derive(Default)]
pub struct Record {
    pub observed: Vec<Observed>,
    pub attacked: HashSet<(String, String)>,
}

/// The attacker installed on a flow's thread.
pub struct Attacker {
    targets: HashSet<(String, String)>,
    record: Rc<RefCell<Record>>,
    attacker: Keypair,
    funded: bool,
    decoy_mints: HashMap<(Pubkey, u8), Pubkey>,
    danger_mints: HashMap<u8, Pubkey>,
}

impl Attacker {
    /// An attacker for `program`'s instructions named in `targets` (each attacked the first time
    /// a flow sends it); installs itself on this thread and returns what it will record.
    pub fn install(program: &str, targets: &[&str]) -> Rc<RefCell<Record>> {
        let record = Rc::new(RefCell::new(Record::default()));
        let attacker = Attacker {
            targets: targets.iter().map(|t| (program.to_string(), t.to_string())).collect(),
            record: record.clone(),
            attacker: Keypair::new(),
            funded: false,
            decoy_mints: HashMap::new(),
            danger_mints: HashMap::new(),
        };
        rwa_testkit::set_send_hook(Some(Box::new(attacker)));
        record
    }

    /// Removes this thread's attacker (so that checks after a flow are not attacked).
    pub fn uninstall() {
        rwa_testkit::set_send_hook(None);
    }

    async fn decoy_mint(
        &mut self,
        env: &mut TestEnv,
        token_program: Pubkey,
        decimals: u8,
    ) -> Pubkey {
        if let Some(m) = self.decoy_mints.get(&(token_program, decimals)) {
            return *m;
        }
        let program = if token_program == spl_token::ID {
            TokenProgram::Classic
        } else {
            TokenProgram::Token2022
        };
        let mint = env.create_mint(program, decimals, &self.attacker.pubkey()).await;
        self.decoy_mints.insert((token_program, decimals), mint);
        mint
    }

    async fn danger_mint(&mut self, env: &mut TestEnv, decimals: u8) -> Pubkey {
        if let Some(m) = self.danger_mints.get(&decimals) {
            return *m;
        }
        let ext = [MintExtension::PermanentDelegate(self.attacker.pubkey())];
        let mint = env.create_mint_with_extensions(decimals, &self.attacker.pubkey(), &ext).await;
        self.danger_mints.insert(decimals, mint);
        mint
    }

    async fn attack(
        &mut self,
        env: &mut TestEnv,
        ixs: &[Instruction],
        signers: &[&Keypair],
        k: usize,
        program: &IdlProgram,
        idl_ix: &IdlIx,
    ) {
        if !self.funded {
            env.transfer_lamports(&self.attacker.pubkey(), 100_000_000_000).await;
            self.funded = true;
        }
        let payer = env.payer().pubkey();
        let mut keys: Vec<Pubkey> =
            ixs.iter().flat_map(|ix| ix.accounts.iter().map(|m| m.pubkey)).collect();
        keys.sort();
        keys.dedup();
        let mut snapshot: BTreeMap<Pubkey, Option<Account>> = BTreeMap::new();
        for key in &keys {
            snapshot.insert(*key, env.account(*key).await);
        }
        let ix = &ixs[k];
        for (j, meta) in ix.accounts.iter().enumerate() {
            let name = idl_ix
                .accounts
                .get(j)
                .cloned()
                .unwrap_or_else(|| format!("remaining[{}]", j - idl_ix.accounts.len()));
            let current = snapshot.get(&meta.pubkey).cloned().flatten();
            for attack in Attack::ALL {
                let Some(sub) = self.substitute(env, ixs, k, j, attack, &current, &snapshot).await
                else {
                    continue;
                };
                if let Some((address, account)) = &sub.create {
                    env.set_account(*address, account.clone());
                }
                let mut mutated = ixs.to_vec();
                mutated[k].accounts[j].pubkey = sub.pubkey;
                mutated[k].accounts[j].is_signer = sub.is_signer;
                if let Some((from, to)) = sub.token_program {
                    for m in mutated[k].accounts.iter_mut().filter(|m| m.pubkey == from) {
                        m.pubkey = to;
                    }
                }
                let required: HashSet<Pubkey> = mutated
                    .iter()
                    .flat_map(|ix| ix.accounts.iter().filter(|m| m.is_signer).map(|m| m.pubkey))
                    .collect();
                let mut keypairs: Vec<&Keypair> =
                    signers.iter().copied().filter(|s| required.contains(&s.pubkey())).collect();
                let attacker = self.attacker.insecure_clone();
                if required.contains(&attacker.pubkey()) {
                    keypairs.push(&attacker);
                }
                let result = env.send(&mutated, &keypairs).await;
                let outcome = describe(&result, &mutated, k);
                let mut changed = Vec::new();
                for (key, before) in &snapshot {
                    let after = env.account(*key).await;
                    let same = match (before, &after) {
                        (Some(b), Some(a)) if *key == payer => b.data == a.data,
                        (b, a) => b == a,
                    };
                    if !same {
                        changed.push(*key);
                        // a substitution that went through is undone, so that the flow goes on
                        // from the state it was in
                        match before {
                            Some(b) => env.set_account(*key, b.clone()),
                            None => env.set_account(*key, Account::default()),
                        }
                    }
                }
                if result.is_ok() {
                    changed.clear();
                }
                self.record.borrow_mut().observed.push(Observed {
                    program: program.name.clone(),
                    instruction: idl_ix.name.clone(),
                    account: name.clone(),
                    attack,
                    outcome,
                    changed,
                });
            }
        }
    }

    /// The substitute for account `j` of instruction `k` under `attack`, or `None` where the
    /// attack does not apply to that account.
    #[allow(clippy::too_many_arguments)]
    async fn substitute(
        &mut self,
        env: &mut TestEnv,
        ixs: &[Instruction],
        k: usize,
        j: usize,
        attack: Attack,
        current: &Option<Account>,
        snapshot: &BTreeMap<Pubkey, Option<Account>>,
    ) -> Option<Substitute> {
        let ix = &ixs[k];
        let meta = &ix.accounts[j];
        let payer = env.payer().pubkey();
        let executable = current.as_ref().is_some_and(|a| a.executable);
        let elsewhere = |account: Account| {
            Substitute {
                pubkey: Pubkey::new_unique(),
                is_signer: false,
                create: None,
                token_program: None,
            }
            .with(account)
        };
        let signed_elsewhere = ixs.iter().enumerate().any(|(i, other)| {
            other
                .accounts
                .iter()
                .enumerate()
                .any(|(jj, m)| m.is_signer && m.pubkey == meta.pubkey && !(i == k && jj == j))
        });
        match attack {
            Attack::Unsigned => (meta.is_signer && meta.pubkey != payer && !signed_elsewhere)
                .then_some(Substitute {
                    pubkey: meta.pubkey,
                    is_signer: false,
                    create: None,
                    token_program: None,
                }),
            Attack::Impostor => meta.is_signer.then_some(Substitute {
                pubkey: self.attacker.pubkey(),
                is_signer: true,
                create: None,
                token_program: None,
            }),
            _ if meta.is_signer || (executable && attack != Attack::WrongProgram) => None,
            Attack::Foreign => {
                let mut a = current.clone()?;
                a.owner = ATTACKER_PROGRAM;
                Some(elsewhere(a))
            }
            Attack::Clone => match current {
                Some(a) => Some(elsewhere(a.clone())),
                None => Some(Substitute {
                    pubkey: Pubkey::new_unique(),
                    is_signer: false,
                    create: None,
                    token_program: None,
                }),
            },
            Attack::Cosplay => {
                let a = current.as_ref()?;
                // the first such account in the transaction's order (this instruction's first)
                let order = ix.accounts.iter().chain(ixs.iter().flat_map(|i| i.accounts.iter()));
                let pick = order.map(|m| m.pubkey).find(|key| {
                    let Some(Some(o)) = snapshot.get(key) else { return false };
                    *key != meta.pubkey
                        && !o.executable
                        && o.owner == a.owner
                        && (o.data.len() != a.data.len() || o.data.get(..8) != a.data.get(..8))
                        && !o.data.is_empty()
                        && !a.data.is_empty()
                })?;
                Some(Substitute {
                    pubkey: pick,
                    is_signer: false,
                    create: None,
                    token_program: None,
                })
            }
            Attack::Duplicate => {
                let a = current.as_ref()?;
                if !meta.is_writable {
                    return None;
                }
                // another writable account of the same kind: a token account of the same mint
                // for a token account, an account of the same type (discriminator) otherwise
                let same_kind = |o: &Account| {
                    o.owner == a.owner
                        && !o.executable
                        && if is_token_account(a) {
                            is_token_account(o) && o.data[..32] == a.data[..32]
                        } else {
                            o.data.len() >= 8 && a.data.len() >= 8 && o.data[..8] == a.data[..8]
                        }
                };
                let pick = ix.accounts.iter().find(|m| {
                    m.is_writable
                        && m.pubkey != meta.pubkey
                        && snapshot.get(&m.pubkey).and_then(|o| o.as_ref()).is_some_and(same_kind)
                })?;
                Some(Substitute {
                    pubkey: pick.pubkey,
                    is_signer: false,
                    create: None,
                    token_program: None,
                })
            }
            Attack::WrongMint | Attack::WrongOwner => {
                let a = current.as_ref()?;
                if !is_token_account(a) {
                    return None;
                }
                let mut data = a.data.clone();
                if attack == Attack::WrongMint {
                    let mint = Pubkey::new_from_array(data[..32].try_into().ok()?);
                    let decimals = mint_decimals(snapshot, env, &mint).await?;
                    let decoy = self.decoy_mint(env, a.owner, decimals).await;
                    data[..32].copy_from_slice(decoy.as_ref());
                } else {
                    data[32..64].copy_from_slice(self.attacker.pubkey().as_ref());
                }
                Some(elsewhere(Account { data, ..a.clone() }))
            }
            Attack::DangerMint => {
                let a = current.as_ref()?;
                if !is_mint(a) {
                    return None;
                }
                let decimals = a.data[44];
                let mint = self.danger_mint(env, decimals).await;
                // the dangerous mint is a Token-2022 mint: the instruction's token program that
                // served the original mint becomes Token-2022 too, so that the substitution meets
                // the extension checks rather than a program mismatch
                Some(Substitute {
                    pubkey: mint,
                    is_signer: false,
                    create: None,
                    token_program: Some((a.owner, spl_token_2022::ID)),
                })
            }
            Attack::WrongProgram => {
                if !executable {
                    return None;
                }
                let other = match meta.pubkey {
                    spl_token::ID => spl_token_2022::ID,
                    spl_token_2022::ID => spl_token::ID,
                    id if id == rwa_oracle::ID => receivables::ID,
                    _ => rwa_oracle::ID,
                };
                Some(Substitute {
                    pubkey: other,
                    is_signer: false,
                    create: None,
                    token_program: None,
                })
            }
        }
    }
}

struct Substitute {
    pubkey: Pubkey,
    is_signer: bool,
    /// An account to write at `pubkey` first.
    create: Option<(Pubkey, Account)>,
    /// A program of the instruction to replace as well (from, to).
    token_program: Option<(Pubkey, Pubkey)>,
}

impl Substitute {
    fn with(mut self, account: Account) -> Self {
        self.create = Some((self.pubkey, account));
        self
    }
}

fn is_token_program(owner: &Pubkey) -> bool {
    *owner == spl_token::ID || *owner == spl_token_2022::ID
}

/// A token account (classic layout, or Token-2022's with its account-type byte).
fn is_token_account(a: &Account) -> bool {
    is_token_program(&a.owner) && (a.data.len() == 165 || a.data.get(165) == Some(&2))
}

/// A mint (classic layout, or Token-2022's with its account-type byte).
fn is_mint(a: &Account) -> bool {
    is_token_program(&a.owner) && (a.data.len() == 82 || a.data.get(165) == Some(&1))
}

async fn mint_decimals(
    snapshot: &BTreeMap<Pubkey, Option<Account>>,
    env: &mut TestEnv,
    mint: &Pubkey,
) -> Option<u8> {
    let account = match snapshot.get(mint) {
        Some(a) => a.clone(),
        None => env.account(*mint).await,
    }?;
    account.data.get(44).copied()
}

impl SendHook for Attacker {
    fn before_send<'a>(
        &'a mut self,
        env: &'a mut TestEnv,
        ixs: &'a [Instruction],
        signers: &'a [&'a Keypair],
    ) -> Pin<Box<dyn Future<Output = ()> + 'a>> {
        Box::pin(async move {
            for k in 0..ixs.len() {
                let Some((program, idl_ix)) = instruction_of(&ixs[k]) else { continue };
                let key = (program.name.clone(), idl_ix.name.clone());
                if !self.targets.contains(&key) || self.record.borrow().attacked.contains(&key) {
                    continue;
                }
                self.record.borrow_mut().attacked.insert(key);
                self.attack(env, ixs, signers, k, program, idl_ix).await;
            }
        })
    }
}

/// The two-step admin handover and a guardian rotation of program `P` by its `admin`: the last
/// steps of every flow (attacked where the flow targets them).
pub async fn hand_over<P: Administered>(env: &mut TestEnv, admin: &Keypair) {
    let next = env.funded_keypair(1_000_000_000).await;
    env.send_ok(&[P::propose_admin_ix(&admin.pubkey(), next.pubkey())], &[admin]).await;
    env.send_ok(&[P::accept_admin_ix(&next.pubkey())], &[&next]).await;
    env.send_ok(&[P::set_guardian_ix(&next.pubkey(), Pubkey::new_unique())], &[&next]).await;
}
