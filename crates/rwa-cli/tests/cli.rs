//! The command line's habits: `--help` everywhere, `-u` monikers, the Solana CLI config's
//! defaults, and errors that say what to do.
use std::process::{Command, Output};

fn rwa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rwa"))
        .args(args)
        .env("HOME", "/nonexistent-home")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["demo", "--help"],
        vec!["quote", "--help"],
        vec!["show", "--help"],
        vec!["show", "pool", "--help"],
        vec!["show", "feed", "--help"],
        vec!["servicer", "--help"],
        vec!["servicer", "repay", "--help"],
        vec!["publisher", "submit", "--help"],
        vec!["admin", "pause", "--help"],
        vec!["holder", "--help"],
        vec!["holder", "sell", "--help"],
        vec!["help", "quote"],
    ] {
        let out = rwa(&args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Usage: rwa"), "{args:?}: {text}");
    }
    let text = String::from_utf8(rwa(&["--help"]).stdout).unwrap();
    for flag in ["-u, --url", "-k, --keypair", "--output"] {
        assert!(text.contains(flag), "{flag} in --help:\n{text}");
    }
    let text = String::from_utf8(rwa(&["quote", "--help"]).stdout).unwrap();
    for flag in ["--schedule", "--now", "--rate-bps", "--spread-bps", "--pd-bps", "--lgd-bps"] {
        assert!(text.contains(flag), "{flag} in quote --help:\n{text}");
    }
}

#[test]
fn a_cluster_command_without_a_keypair_says_what_to_do() {
    let out = rwa(&["show", "backing", "-u", "devnet", "-k", "/tmp/rwa-no-such-key.json"]);
    assert_eq!(out.status.code(), Some(1));
    let e = stderr(&out);
    assert!(e.starts_with("error: cannot read the keypair /tmp/rwa-no-such-key.json"), "{e}");
    assert!(e.contains("(from --keypair)"), "{e}");
    assert!(e.contains("https://api.devnet.solana.com (from --url)"), "{e}");
    assert!(e.contains("solana-keygen new"), "{e}");
    assert_eq!(e.lines().count(), 1);
}

#[test]
fn an_rpc_urls_api_key_is_never_printed() {
    let url = "https://mainnet.helius-rpc.com/?api-key=SECRET-KEY";
    let out = rwa(&["show", "backing", "-u", url, "-k", "/tmp/rwa-no-such-key.json"]);
    assert_eq!(out.status.code(), Some(1));
    let e = stderr(&out);
    assert!(!e.contains("SECRET-KEY"), "{e}");
    assert!(e.contains("https://mainnet.helius-rpc.com/… (from --url)"), "{e}");

    // the RPC client's own error quotes the URL it failed on: the key is cut out of it too
    let dir = std::env::temp_dir().join(format!("rwa-cli-key-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = dir.join("id.json");
    let keypair = solana_sdk::signature::Keypair::new();
    solana_sdk::signature::write_keypair_file(&keypair, &key).unwrap();
    let url = "http://127.0.0.1:1/?api-key=SECRET-KEY";
    let out = rwa(&["show", "backing", "-u", url, "-k", key.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let e = stderr(&out);
    assert!(!e.contains("SECRET-KEY"), "{e}");
    assert!(e.contains("(cluster http://127.0.0.1:1/… from --url)"), "{e}");
}

#[test]
fn the_keypair_and_url_default_to_the_solana_cli_config() {
    let dir = std::env::temp_dir().join(format!("rwa-cli-test-{}", std::process::id()));
    let config = dir.join(".config/solana/cli/config.yml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(
        &config,
        "---\njson_rpc_url: http://localhost:8899\nkeypair_path: /keys/ops.json\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rwa"))
        .args(["show", "pool", "11111111111111111111111111111111"])
        .env("HOME", &dir)
        .output()
        .unwrap();
    let e = stderr(&out);
    assert!(e.contains("http://localhost:8899 (from "), "{e}");
    assert!(e.contains("/keys/ops.json (from "), "{e}");
    // no config at all: the Solana CLI's defaults
    let e = stderr(&rwa(&["show", "reserve"]));
    assert!(
        e.contains("https://api.mainnet-beta.solana.com (from the Solana CLI's default)"),
        "{e}"
    );
    assert!(e.contains("/nonexistent-home/.config/solana/id.json"), "{e}");
    // -C names another config file
    let other = dir.join("other.yml");
    std::fs::write(&other, "json_rpc_url: \"https://api.testnet.solana.com\"\n").unwrap();
    let e = stderr(&rwa(&["show", "reserve", "-C", other.to_str().unwrap()]));
    assert!(e.contains("https://api.testnet.solana.com (from "), "{e}");
}

#[test]
fn a_bad_url_says_what_is_accepted() {
    let out = rwa(&["show", "backing", "--url", "devnett"]);
    assert_eq!(out.status.code(), Some(2), "a usage error");
    let e = stderr(&out);
    assert!(e.contains("`devnett` is neither a URL nor a cluster moniker"), "{e}");
    assert!(e.contains("mainnet-beta (m), devnet (d), testnet (t), localnet (l)"), "{e}");
}

#[test]
fn a_missing_schedule_file_says_so() {
    let out = rwa(&[
        "quote",
        "--schedule",
        "/nonexistent.csv",
        "--now",
        "0",
        "--rate-bps",
        "1",
        "--spread-bps",
        "0",
        "--pd-bps",
        "0",
        "--lgd-bps",
        "0",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let e = stderr(&out);
    assert!(e.starts_with("error: /nonexistent.csv: cannot read the file:"), "{e}");
    assert_eq!(e.lines().count(), 1);
}
