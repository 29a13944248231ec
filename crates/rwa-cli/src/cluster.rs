//! Where a cluster command goes and who signs, in the Solana CLI's habits: `-u/--url` takes a
//! URL or a moniker, `-k/--keypair` a path, and both default to the Solana CLI's config file
//! (`~/.config/solana/cli/config.yml`: `json_rpc_url`, `keypair_path`).
use std::path::{Path, PathBuf};

/// The cluster monikers `--url` accepts, as the Solana CLI spells them (plus `localnet`).
pub const MONIKERS: &[(&[&str], &str)] = &[
    (&["m", "mainnet-beta", "mainnet"], "https://api.mainnet-beta.solana.com"),
    (&["d", "devnet"], "https://api.devnet.solana.com"),
    (&["t", "testnet"], "https://api.testnet.solana.com"),
    (&["l", "localhost", "localnet"], "http://localhost:8899"),
];

/// The Solana CLI's default RPC URL when its config names none.
pub const DEFAULT_URL: &str = "https://api.mainnet-beta.solana.com";

/// A moniker's URL, or `url` itself when it is an `http(s)://` URL; otherwise an error saying
/// what is accepted.
pub fn normalize_url(url: &str) -> Result<String, String> {
    let trimmed = url.trim();
    if let Some((_, u)) = MONIKERS.iter().find(|(names, _)| names.contains(&trimmed)) {
        return Ok(u.to_string());
    }
    if (trimmed.starts_with("http://") || trimmed.starts_with("https://"))
        && trimmed.len() > "https://".len()
    {
        return Ok(trimmed.to_string());
    }
    Err(format!(
        "`{url}` is neither a URL nor a cluster moniker: pass an http(s):// RPC URL or one of \
         mainnet-beta (m), devnet (d), testnet (t), localnet (l)"
    ))
}

/// `url` as messages may show it: its scheme and host only, `/…` standing for anything after
/// the host (RPC providers put API keys in the path, the query or the user info).
pub fn shown_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "(an RPC URL)".into();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let more = authority.contains('@') || !(tail.is_empty() || tail == "/");
    format!("{scheme}://{host}{}", if more { "/…" } else { "" })
}

/// `message` with what [`shown_url`] leaves out of `url` (its user info, and its path and
/// query) cut out wherever it appears: the RPC client's errors quote the URL they failed on.
pub fn redact_url_in(message: &str, url: &str) -> String {
    let Some((_, rest)) = url.split_once("://") else {
        return message.to_string();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let user = authority.rsplit_once('@').map(|(user, _)| user);
    let tail = tail.trim_start_matches(['/', '?', '#']).trim_end_matches('/');
    let mut out = message.to_string();
    for secret in user.into_iter().chain([tail]).filter(|s| !s.is_empty()) {
        out = out.replace(secret, "…");
    }
    out
}

/// The two settings `rwa` reads from a Solana CLI config file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SolanaConfig {
    pub json_rpc_url: Option<String>,
    pub keypair_path: Option<String>,
}

/// The Solana CLI's config file: `$HOME/.config/solana/cli/config.yml`.
pub fn default_config_path() -> Option<PathBuf> {
    std::env::var_os("HOME").map(|h| Path::new(&h).join(".config/solana/cli/config.yml"))
}

/// The Solana CLI's default keypair: `$HOME/.config/solana/id.json`.
pub fn default_keypair_path() -> Option<PathBuf> {
    std::env::var_os("HOME").map(|h| Path::new(&h).join(".config/solana/id.json"))
}

/// Reads `json_rpc_url` and `keypair_path` from the flat YAML the Solana CLI writes (one
/// `key: value` a line, values optionally quoted).
pub fn parse_config(text: &str) -> SolanaConfig {
    let mut config = SolanaConfig::default();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else { continue };
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value)
            .to_string();
        if value.is_empty() {
            continue;
        }
        match key.trim() {
            "json_rpc_url" => config.json_rpc_url = Some(value),
            "keypair_path" => config.keypair_path = Some(value),
            _ => {}
        }
    }
    config
}

/// Where a cluster command would go and who would sign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterSettings {
    pub url: String,
    pub keypair: PathBuf,
    /// Where each came from, for messages: `--url`, the config file, or the default.
    pub url_source: String,
    pub keypair_source: String,
}

/// Resolves `--url` and `--keypair` as the Solana CLI does: the flag, else the config file
/// (`--config`, else the default path), else the Solana CLI's defaults.
pub fn resolve(
    url: Option<&str>,
    keypair: Option<&Path>,
    config_path: Option<&Path>,
) -> Result<ClusterSettings, String> {
    let path = config_path.map(Path::to_path_buf).or_else(default_config_path);
    let config = match &path {
        Some(p) => match std::fs::read_to_string(p) {
            Ok(text) => parse_config(&text),
            Err(_) if config_path.is_none() => SolanaConfig::default(),
            Err(e) => return Err(format!("cannot read --config {}: {e}", p.display())),
        },
        None => SolanaConfig::default(),
    };
    let shown = path.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
    let (url, url_source) = match (url, &config.json_rpc_url) {
        (Some(u), _) => (normalize_url(u)?, "--url".to_string()),
        (None, Some(u)) => (normalize_url(u)?, shown.clone()),
        (None, None) => (DEFAULT_URL.to_string(), "the Solana CLI's default".to_string()),
    };
    let (keypair, keypair_source) = match (keypair, &config.keypair_path) {
        (Some(k), _) => (k.to_path_buf(), "--keypair".to_string()),
        (None, Some(k)) => (PathBuf::from(k), shown),
        (None, None) => (
            default_keypair_path().ok_or(
                "no --keypair and no HOME to find ~/.config/solana/id.json: pass --keypair PATH",
            )?,
            "the Solana CLI's default".to_string(),
        ),
    };
    Ok(ClusterSettings { url, keypair, url_source, keypair_source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monikers_and_urls() {
        assert_eq!(normalize_url("devnet").unwrap(), "https://api.devnet.solana.com");
        assert_eq!(normalize_url("l").unwrap(), "http://localhost:8899");
        assert_eq!(normalize_url("localnet").unwrap(), "http://localhost:8899");
        assert_eq!(normalize_url("mainnet-beta").unwrap(), DEFAULT_URL);
        assert_eq!(normalize_url("http://127.0.0.1:8899").unwrap(), "http://127.0.0.1:8899");
        assert!(normalize_url("devnett").unwrap_err().contains("moniker"));
    }

    #[test]
    fn a_shown_url_keeps_no_key() {
        assert_eq!(shown_url("https://api.devnet.solana.com"), "https://api.devnet.solana.com");
        assert_eq!(shown_url("http://localhost:8899/"), "http://localhost:8899");
        for url in [
            "https://mainnet.helius-rpc.com/?api-key=SECRET",
            "https://x.solana-mainnet.quiknode.pro/SECRET/",
            "https://solana-mainnet.g.alchemy.com/v2/SECRET",
            "https://user:SECRET@rpc.example.com",
        ] {
            let shown = shown_url(url);
            assert!(!shown.contains("SECRET") && shown.ends_with("/…"), "{url}: {shown}");
        }
    }

    #[test]
    fn an_error_quoting_the_url_keeps_no_key() {
        let url = "https://mainnet.helius-rpc.com?api-key=SECRET";
        let e = "error sending request for url (https://mainnet.helius-rpc.com/?api-key=SECRET)";
        let shown = redact_url_in(e, url);
        assert!(!shown.contains("SECRET") && shown.contains("helius-rpc.com/?…"), "{shown}");
        let url = "https://user:SECRET@rpc.example.com/v2/OTHER/";
        let shown = redact_url_in(&format!("at {url}: refused"), url);
        assert!(!shown.contains("SECRET") && !shown.contains("OTHER"), "{shown}");
        assert_eq!(redact_url_in("plain", "http://localhost:8899"), "plain");
    }

    #[test]
    fn reads_the_solana_cli_config() {
        let text = "---\njson_rpc_url: \"https://api.devnet.solana.com\"\nwebsocket_url: ''\n\
                    keypair_path: /home/me/.config/solana/id.json\naddress_labels:\n  \"11111111111111111111111111111111\": System Program\ncommitment: confirmed\n";
        let c = parse_config(text);
        assert_eq!(c.json_rpc_url.as_deref(), Some("https://api.devnet.solana.com"));
        assert_eq!(c.keypair_path.as_deref(), Some("/home/me/.config/solana/id.json"));
    }
}
