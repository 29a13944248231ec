//! Builds every program's Anchor IDL into `idl/<program>.json`, the JSON that `anchor idl build`
//! (anchor-cli 1.2.x) writes, without installing anchor-cli:
//!
//! ```sh
//! cargo run -p rwa-idl --locked            # regenerate idl/*.json
//! cargo run -p rwa-idl --locked -- --check # regenerate into a temp dir, diff against idl/
//! ```
//!
//! For each program it runs the test that anchor-lang's `idl-build` feature generates,
//! `cargo test --lib --features idl-build __anchor_private_print_idl -- --show-output --quiet`,
//! in the program's directory with the environment anchor-cli sets (resolution on, lint on,
//! docs kept, as in our `Anchor.toml`), and assembles the printed sections exactly as
//! anchor-lang-idl 0.1.4's `build` module does (the code anchor-cli 1.2.x calls): module paths
//! shortened where unambiguous, items sorted by name, discriminators verified. The only
//! difference from anchor-cli's file is a trailing newline: on 2026-11-24 all five IDLs were
//! byte-identical to what anchor-lang-idl's `IdlBuilder` (anchor-cli's path) wrote, and the
//! `sbf` workflow diffs `idl/` against `anchor build`'s `target/idl` on every push.
//!
//! Unlike anchor-cli it does not set `RUSTFLAGS=-A warnings`: a changed RUSTFLAGS would
//! rebuild the dependencies that the workspace build already has in `target/`.

use anchor_lang_idl_spec::{Idl, IdlEvent, IdlTypeDef};
use anyhow::{anyhow, bail, Context, Result};
use regex::Regex;
use serde::Deserialize;
use std::{
    collections::BTreeMap,
    fs, mem,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

/// The programs, by directory under `programs/`; each IDL is written as `<crate name>.json`.
const PROGRAMS: [&str; 6] =
    ["rwa-oracle", "receivables", "dcf-pricer", "value-anchor", "buyback-reserve", "transfer-hook"];

fn main() -> Result<()> {
    let mut check = false;
    let mut out: Option<PathBuf> = None;
    let mut only: Vec<String> = vec![];
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--out" => out = Some(args.next().context("--out needs a directory")?.into()),
            "-h" | "--help" => {
                println!(
                    "usage: cargo run -p rwa-idl -- [--check] [--out DIR] [PROGRAM...]\n\
                     Writes idl/<program>.json (or DIR/...); --check regenerates into a temp \
                     dir and fails if idl/ differs."
                );
                return Ok(());
            }
            p if PROGRAMS.contains(&p) => only.push(p.to_owned()),
            other => bail!("unknown argument {other:?} (programs: {PROGRAMS:?})"),
        }
    }
    let root = workspace_root();
    let checked_in = root.join("idl");
    let programs: Vec<&str> =
        PROGRAMS.into_iter().filter(|p| only.is_empty() || only.iter().any(|o| o == p)).collect();

    if check {
        let tmp = std::env::temp_dir().join(format!("rwa-idl-{}", std::process::id()));
        fs::create_dir_all(&tmp)?;
        let result = build_all(&root, &programs, &tmp).and_then(|()| compare(&tmp, &checked_in));
        let _ = fs::remove_dir_all(&tmp);
        return result;
    }
    let out = out.unwrap_or(checked_in);
    fs::create_dir_all(&out)?;
    build_all(&root, &programs, &out)
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/rwa-idl sits two levels below the workspace root")
        .to_path_buf()
}

fn build_all(root: &Path, programs: &[&str], out: &Path) -> Result<()> {
    for program in programs {
        let idl = build(&root.join("programs").join(program))
            .with_context(|| format!("building the IDL of {program}"))?;
        let idl = sort(convert_module_paths(idl)?);
        verify(&idl).with_context(|| format!("verifying the IDL of {program}"))?;
        let file = out.join(format!("{}.json", idl.metadata.name));
        fs::write(&file, serde_json::to_string_pretty(&idl)? + "\n")?;
        eprintln!("rwa-idl: wrote {}", file.display());
    }
    Ok(())
}

/// Fails, naming every stale or missing file, unless `dir` and `checked_in` hold the same
/// `*.json` files with the same bytes.
fn compare(fresh: &Path, checked_in: &Path) -> Result<()> {
    let names = |dir: &Path| -> Result<Vec<String>> {
        let mut names = vec![];
        if dir.exists() {
            for entry in fs::read_dir(dir)? {
                let name = entry?.file_name().to_string_lossy().into_owned();
                if name.ends_with(".json") {
                    names.push(name);
                }
            }
        }
        names.sort();
        Ok(names)
    };
    let mut stale = vec![];
    for name in names(fresh)? {
        let want = fs::read(fresh.join(&name))?;
        match fs::read(checked_in.join(&name)) {
            Ok(have) if have == want => {}
            Ok(_) => stale.push(format!("idl/{name} is out of date")),
            Err(_) => stale.push(format!("idl/{name} is missing")),
        }
    }
    if stale.is_empty() {
        eprintln!("rwa-idl: idl/ is current");
        Ok(())
    } else {
        bail!(
            "{}\nregenerate with `cargo run -p rwa-idl --locked` and commit idl/ (then \
             `npm run generate` for the TypeScript client)",
            stale.join("\n")
        )
    }
}

/// Runs the program's `__anchor_private_print_idl` tests and assembles their output, as
/// anchor-lang-idl 0.1.4 `build::build` does.
fn build(program_path: &Path) -> Result<Idl> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "test",
            "--lib",
            "--locked",
            "--features",
            "idl-build",
            "__anchor_private_print_idl",
            "--",
            "--show-output",
            "--quiet",
        ])
        // Read by anchor-syn at compile time (`option_env!`): as `Anchor.toml` sets them.
        .env("ANCHOR_IDL_BUILD_NO_DOCS", "FALSE")
        .env("ANCHOR_IDL_BUILD_RESOLUTION", "TRUE")
        .env("ANCHOR_IDL_BUILD_SKIP_LINT", "FALSE")
        .env("ANCHOR_IDL_BUILD_PROGRAM_PATH", program_path)
        .current_dir(program_path)
        .stderr(Stdio::inherit())
        .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!("cargo test __anchor_private_print_idl failed:\n{stdout}");
    }

    enum State {
        Pass,
        Address,
        Constants(Vec<String>),
        Events(Vec<String>),
        Errors(Vec<String>),
        Program(Vec<String>),
    }
    let mut address = String::new();
    let mut constants = vec![];
    let mut events = vec![];
    let mut errors = None;
    let mut types = BTreeMap::new();
    let mut idl: Option<Idl> = None;
    let mut state = State::Pass;
    for line in stdout.lines() {
        match &mut state {
            State::Pass => match line {
                "--- IDL begin address ---" => state = State::Address,
                "--- IDL begin const ---" => state = State::Constants(vec![]),
                "--- IDL begin event ---" => state = State::Events(vec![]),
                "--- IDL begin errors ---" if errors.is_some() => {
                    bail!("Multiple error definitions are not allowed.")
                }
                "--- IDL begin errors ---" => state = State::Errors(vec![]),
                "--- IDL begin program ---" => state = State::Program(vec![]),
                _ => {
                    if line.starts_with("test result: ok")
                        && !line.starts_with("test result: ok. 0 passed; 0 failed; 0")
                    {
                        if let Some(idl) = idl.as_mut() {
                            idl.address = mem::take(&mut address);
                            idl.constants = mem::take(&mut constants);
                            idl.events = mem::take(&mut events);
                            idl.errors = mem::take(&mut errors).unwrap_or_default();
                            idl.types = {
                                let prog_ty = mem::take(&mut idl.types);
                                let mut types = mem::take(&mut types);
                                types.extend(prog_ty.into_iter().map(|ty| (ty.name.clone(), ty)));
                                types.into_values().collect()
                            };
                        }
                    }
                }
            },
            State::Address => {
                address = line.replace(|c: char| !c.is_alphanumeric(), "");
                state = State::Pass;
            }
            State::Constants(lines) => {
                if line == "--- IDL end const ---" {
                    constants.push(serde_json::from_str(&lines.join("\n"))?);
                    state = State::Pass;
                } else {
                    lines.push(line.to_owned());
                }
            }
            State::Events(lines) => {
                if line == "--- IDL end event ---" {
                    #[derive(Deserialize)]
                    struct IdlBuildEventPrint {
                        event: IdlEvent,
                        types: Vec<IdlTypeDef>,
                    }
                    let event: IdlBuildEventPrint = serde_json::from_str(&lines.join("\n"))?;
                    events.push(event.event);
                    types.extend(event.types.into_iter().map(|ty| (ty.name.clone(), ty)));
                    state = State::Pass;
                } else {
                    lines.push(line.to_owned());
                }
            }
            State::Errors(lines) => {
                if line == "--- IDL end errors ---" {
                    errors = Some(serde_json::from_str(&lines.join("\n"))?);
                    state = State::Pass;
                } else {
                    lines.push(line.to_owned());
                }
            }
            State::Program(lines) => {
                if line == "--- IDL end program ---" {
                    idl = Some(serde_json::from_str(&lines.join("\n"))?);
                    state = State::Pass;
                } else {
                    lines.push(line.to_owned());
                }
            }
        }
    }
    idl.ok_or_else(|| anyhow!("the test printed no IDL"))
}

/// Replaces `a::b::Name` by `Name` wherever that leaves no other path ending in `Name`.
fn convert_module_paths(idl: Idl) -> Result<Idl> {
    let idl = serde_json::to_string(&idl)?;
    let paths = Regex::new(r#""(\w+::)+(\w+)""#)?;
    let mut acc = idl.clone();
    for cur in paths.captures_iter(&idl) {
        let path = cur.get(0).unwrap().as_str();
        let name = cur.get(2).unwrap().as_str();
        let replaced = acc.replace(path, &format!(r#""{name}""#));
        let conflict = Regex::new(&format!(r#""(\w+::)+{name}""#))?;
        if !conflict.is_match(&replaced) {
            acc = replaced;
        }
    }
    Ok(serde_json::from_str(&acc)?)
}

fn sort(mut idl: Idl) -> Idl {
    idl.accounts.sort_by(|a, b| a.name.cmp(&b.name));
    idl.constants.sort_by(|a, b| a.name.cmp(&b.name));
    idl.events.sort_by(|a, b| a.name.cmp(&b.name));
    idl.instructions.sort_by(|a, b| a.name.cmp(&b.name));
    idl.types.sort_by(|a, b| a.name.cmp(&b.name));
    idl
}

/// anchor-lang-idl's checks: no empty, ambiguous or all-zero discriminators.
fn verify(idl: &Idl) -> Result<()> {
    macro_rules! check {
        ($field:ident) => {
            if let Some(item) = idl.$field.iter().find(|it| it.discriminator.is_empty()) {
                bail!("empty discriminator for {}: `{}`", stringify!($field), item.name);
            }
            for outer in &idl.$field {
                if let Some(inner) = idl.$field.iter().find(|inner| {
                    inner.name != outer.name
                        && outer.discriminator.starts_with(&inner.discriminator)
                }) {
                    bail!(
                        "ambiguous discriminators for {} `{}` and `{}`",
                        stringify!($field),
                        outer.name,
                        inner.name
                    );
                }
            }
        };
    }
    check!(accounts);
    check!(events);
    check!(instructions);
    for account in &idl.accounts {
        if account.discriminator.iter().all(|b| *b == 0) {
            bail!("all-zero account discriminator: `{}`", account.name);
        }
        let zeros = account.discriminator.iter().take_while(|b| **b == 0).count();
        if let Some(other) = idl.accounts.iter().find(|a| a.discriminator.len() <= zeros) {
            bail!(
                "accounts `{}` and `{}` may be substituted under the `zero` constraint",
                account.name,
                other.name
            );
        }
    }
    Ok(())
}
