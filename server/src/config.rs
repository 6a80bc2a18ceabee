//! One typed configuration, read (later sources win) from defaults, a TOML
//! file, `PACATLAS_*` environment variables, and the ecosystem's own
//! variables (`DATABASE_URL`, `MEILI_URL`, `MEILI_MASTER_KEY`, `LEPTOS_*`).
//! Validated at start: a wrong or missing value is one line naming the key.
use std::{fmt, net::SocketAddr, path::PathBuf};

use figment::{
    providers::{Env, Format, Serialized, Toml},
    Figment,
};
use leptos::config::{Env as LeptosEnv, LeptosOptions};
use serde::{Deserialize, Serialize};

/// The default configuration file, read when it exists and no other is named.
pub const DEFAULT_FILE: &str = "pacatlas.toml";

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// PostgreSQL URL (`DATABASE_URL`).
    pub database_url: Option<String>,
    /// Largest number of pooled database connections.
    pub db_max_connections: u32,
    /// Seconds to wait for a database connection before giving up.
    pub db_connect_timeout_secs: u64,
    /// Where the server keeps files of its own (search index, caches).
    pub data_dir: PathBuf,
    /// `auto` (human on a terminal, JSON otherwise), `human` or `json`.
    pub log_format: LogFormat,
    /// A tracing filter, e.g. `info` or `pacatlas=debug,tower_http=info`.
    pub log_level: String,
    /// Meilisearch (`MEILI_URL`, `MEILI_MASTER_KEY`); the embedded engine is used without it.
    pub meili_url: Option<String>,
    pub meili_master_key: Option<Secret>,
    /// Listen address (`LEPTOS_SITE_ADDR`).
    pub site_addr: SocketAddr,
    /// Directory with the built site: `pkg/` bundle and public assets (`LEPTOS_SITE_ROOT`).
    pub site_root: String,
    /// Sub-directory of `site_root` with the wasm/js/css bundle (`LEPTOS_SITE_PKG_DIR`).
    pub site_pkg_dir: String,
    /// Name of the bundle files (`LEPTOS_OUTPUT_NAME`).
    pub output_name: String,
    /// `DEV` or `PROD` (`LEPTOS_ENV`).
    pub leptos_env: String,
    /// Port of cargo-leptos' live-reload socket in `watch` mode (`LEPTOS_RELOAD_PORT`).
    pub reload_port: u32,
    /// Largest ingest input accepted, in bytes, before and after decompression.
    pub ingest_max_bytes: u64,
    /// Largest number of packages one channel revision may hold.
    pub ingest_max_packages: usize,
    /// Requests a client (IP address) may make per second, sustained; 0 turns the limit off.
    pub rate_limit_per_second: u32,
    /// Requests a client may make in a burst before the sustained rate applies.
    pub rate_limit_burst: u32,
    /// The portal's public address (`https://pacatlas.example.org`), for the
    /// absolute links some documents need (OpenSearch); without it they are
    /// made from the request's `Host`.
    pub public_url: Option<String>,
    /// Take the client address from `Forwarded` / `X-Forwarded-For` / `X-Real-IP`
    /// (only behind a reverse proxy that sets them; anyone can send them otherwise).
    pub trust_forwarded_for: bool,
    /// Seconds a request may take before it is answered 503 (0: no limit).
    pub request_timeout_secs: u64,
    /// Largest request body accepted, in bytes (413 beyond).
    pub request_body_max_bytes: usize,
    /// Milliseconds one SQL statement of the server may run before PostgreSQL cancels it (0: no limit).
    pub db_statement_timeout_ms: u64,
    /// Seconds without data after which an ingest download is abandoned.
    pub ingest_download_timeout_secs: u64,
    /// Bytes of rendered anonymous pages and JSON kept in memory per catalog generation (0: no cache).
    pub page_cache_bytes: usize,
    /// Software Heritage's Web API root (`archival check`).
    pub swh_api_url: String,
    /// A Software Heritage API token (raises the rate limit); a secret, never logged.
    pub swh_token: Option<Secret>,
    /// Software Heritage requests in flight at once.
    pub archival_concurrency: usize,
    /// Seconds one Software Heritage request may take.
    pub archival_timeout_secs: u64,
    /// Commercial hosts (a host is in the list when it is an entry or a sub-domain of one).
    pub archival_commercial_hosts: Vec<String>,
    /// Institutional hosts (public institutions, foundations, community archives).
    pub archival_institutional_hosts: Vec<String>,
    /// `serve` checks the sources against Software Heritage every this many hours (0: never).
    pub archival_check_interval_hours: u64,
    /// Sources checked more recently than this many days are not checked again by the schedule.
    pub archival_stale_after_days: u64,
    /// CI importers `serve` runs on a schedule (`[[ci.importers]]`, see `builds::schedule`).
    pub ci: crate::builds::schedule::CiConfig,
    /// Login, sessions and claims (`[accounts]`, see `accounts::config`).
    pub accounts: crate::accounts::config::AccountsConfig,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Auto,
    Human,
    Json,
}

/// A secret value: never printed by `Debug` or in logs.
#[derive(Clone, Deserialize, Serialize, PartialEq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: None,
            db_max_connections: 10,
            db_connect_timeout_secs: 10,
            data_dir: PathBuf::from("data"),
            log_format: LogFormat::Auto,
            log_level: "info,sqlx=warn".into(),
            meili_url: None,
            meili_master_key: None,
            site_addr: ([127, 0, 0, 1], 3000).into(),
            site_root: "target/site".into(),
            site_pkg_dir: "pkg".into(),
            output_name: "pacatlas".into(),
            leptos_env: "DEV".into(),
            reload_port: 3001,
            ingest_max_bytes: 2 << 30,
            ingest_max_packages: 1_000_000,
            rate_limit_per_second: 50,
            rate_limit_burst: 200,
            trust_forwarded_for: false,
            request_timeout_secs: 30,
            request_body_max_bytes: 1 << 20,
            db_statement_timeout_ms: 15_000,
            ingest_download_timeout_secs: 60,
            page_cache_bytes: 64 << 20,
            swh_api_url: "https://archive.softwareheritage.org/api/1/".into(),
            swh_token: None,
            archival_concurrency: 8,
            archival_timeout_secs: 30,
            archival_commercial_hosts: crate::archival::concentration::owned(
                crate::archival::concentration::COMMERCIAL,
            ),
            archival_institutional_hosts: crate::archival::concentration::owned(
                crate::archival::concentration::INSTITUTIONAL,
            ),
            archival_check_interval_hours: 0,
            archival_stale_after_days: 30,
            ci: crate::builds::schedule::CiConfig::default(),
            accounts: crate::accounts::config::AccountsConfig::default(),
            public_url: None,
        }
    }
}

/// A configuration error, displayed as one line that names the key.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("configuration error: {0}")]
pub struct ConfigError(pub String);

/// Environment variables of other tools that map onto config keys.
const FOREIGN_ENV: [(&str, &str); 9] = [
    ("DATABASE_URL", "database_url"),
    ("MEILI_URL", "meili_url"),
    ("MEILI_MASTER_KEY", "meili_master_key"),
    ("LEPTOS_SITE_ADDR", "site_addr"),
    ("LEPTOS_SITE_ROOT", "site_root"),
    ("LEPTOS_SITE_PKG_DIR", "site_pkg_dir"),
    ("LEPTOS_OUTPUT_NAME", "output_name"),
    ("LEPTOS_ENV", "leptos_env"),
    ("LEPTOS_RELOAD_PORT", "reload_port"),
];

impl Config {
    /// Loads the configuration from `file` (or `pacatlas.toml` when it exists)
    /// and the process environment.
    pub fn load(file: Option<&std::path::Path>) -> Result<Self, ConfigError> {
        Self::from_figment(Self::figment(file)?)
    }

    /// The layered sources, without extraction (tests add their own layers).
    pub fn figment(file: Option<&std::path::Path>) -> Result<Figment, ConfigError> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) if !path.exists() => {
                return Err(ConfigError(format!("config file {} does not exist", path.display())))
            }
            Some(path) => fig = fig.merge(Toml::file_exact(path)),
            None if std::path::Path::new(DEFAULT_FILE).exists() => fig = fig.merge(Toml::file_exact(DEFAULT_FILE)),
            None => {}
        }
        let foreign = Env::raw().only(&FOREIGN_ENV.map(|(var, _)| var)).map(|var| {
            let key = FOREIGN_ENV
                .iter()
                .find(|(v, _)| var.as_str().eq_ignore_ascii_case(v))
                .map_or(var.as_str(), |(_, key)| key);
            key.to_string().into()
        });
        // Only known keys come from PACATLAS_* variables: scripts and tools
        // use the prefix for their own settings too. (A TOML file may hold
        // known keys only: a typo there is an error.)
        let keys = Self::keys();
        Ok(fig
            .merge(foreign)
            .merge(Env::prefixed("PACATLAS_").filter(move |k| keys.iter().any(|key| k == key.as_str()))))
    }

    /// The names of all configuration keys.
    pub fn keys() -> Vec<String> {
        match serde_json::to_value(Config::default()) {
            Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }

    pub fn from_figment(fig: Figment) -> Result<Self, ConfigError> {
        let config: Config = fig.extract().map_err(|e| describe(&fig, e))?;
        config.validate()?;
        Ok(config)
    }

    /// Checks values serde cannot: URLs, ranges, names.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(url) = &self.database_url {
            if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                return Err(ConfigError(
                    "key `database_url` (DATABASE_URL) must be a postgres:// or postgresql:// URL".into(),
                ));
            }
        }
        if self.db_max_connections == 0 {
            return Err(ConfigError("key `db_max_connections` must be at least 1".into()));
        }
        if let Some(url) = &self.meili_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ConfigError("key `meili_url` (MEILI_URL) must be an http:// or https:// URL".into()));
            }
        }
        if !matches!(self.leptos_env.to_ascii_lowercase().as_str(), "dev" | "development" | "prod" | "production") {
            return Err(ConfigError("key `leptos_env` (LEPTOS_ENV) must be DEV or PROD".into()));
        }
        if let Some(url) = &self.public_url {
            let ok = (url.starts_with("http://") || url.starts_with("https://"))
                && url::Url::parse(url).is_ok_and(|u| u.host().is_some() && u.query().is_none());
            if !ok {
                return Err(ConfigError(
                    "key `public_url` must be an absolute http(s) URL such as https://pacatlas.example.org".into(),
                ));
            }
        }
        if self.rate_limit_per_second > 0 && self.rate_limit_burst == 0 {
            return Err(ConfigError("key `rate_limit_burst` must be at least 1 when the rate limit is on".into()));
        }
        if !(self.swh_api_url.starts_with("http://") || self.swh_api_url.starts_with("https://"))
            || url::Url::parse(&self.swh_api_url).is_err()
        {
            return Err(ConfigError(
                "key `swh_api_url` must be an http(s) URL such as https://archive.softwareheritage.org/api/1/".into(),
            ));
        }
        if !(1..=256).contains(&self.archival_concurrency) {
            return Err(ConfigError("key `archival_concurrency` must be between 1 and 256".into()));
        }
        if self.archival_timeout_secs == 0 {
            return Err(ConfigError("key `archival_timeout_secs` must be at least 1".into()));
        }
        if self.output_name.is_empty() {
            return Err(ConfigError("key `output_name` (LEPTOS_OUTPUT_NAME) must not be empty".into()));
        }
        self.ci.validate().map_err(ConfigError)?;
        self.accounts.validate(self.public_url.as_deref()).map_err(ConfigError)?;
        tracing_subscriber::EnvFilter::try_new(&self.log_level)
            .map_err(|e| ConfigError(format!("key `log_level`: {e}")))?;
        Ok(())
    }

    /// The database URL, or the error to show when a command needs one.
    pub fn require_database_url(&self) -> Result<&str, ConfigError> {
        self.database_url.as_deref().ok_or_else(|| {
            ConfigError("key `database_url` is missing: set DATABASE_URL (or database_url in pacatlas.toml)".into())
        })
    }

    pub fn ingest_limits(&self) -> crate::ingest::Limits {
        crate::ingest::Limits {
            max_bytes: self.ingest_max_bytes,
            max_packages: self.ingest_max_packages,
            read_timeout: std::time::Duration::from_secs(self.ingest_download_timeout_secs.max(1)),
        }
    }

    /// How `archival check` talks to Software Heritage.
    pub fn swh_options(&self) -> crate::archival::client::Options {
        crate::archival::client::Options {
            base_url: self.swh_api_url.clone(),
            token: self.swh_token.clone(),
            timeout: std::time::Duration::from_secs(self.archival_timeout_secs),
            concurrency: self.archival_concurrency,
            ..Default::default()
        }
    }

    /// Which hosts are commercial and which institutional.
    pub fn host_classes(&self) -> crate::archival::concentration::HostClasses {
        crate::archival::concentration::HostClasses {
            commercial: self.archival_commercial_hosts.iter().map(|h| h.to_ascii_lowercase()).collect(),
            institutional: self.archival_institutional_hosts.iter().map(|h| h.to_ascii_lowercase()).collect(),
        }
    }

    /// The options Leptos renders with (bundle names, paths, address).
    pub fn leptos_options(&self) -> LeptosOptions {
        let env =
            if self.leptos_env.to_ascii_lowercase().starts_with("prod") { LeptosEnv::PROD } else { LeptosEnv::DEV };
        LeptosOptions::builder()
            .output_name(self.output_name.as_str())
            .site_root(self.site_root.as_str())
            .site_pkg_dir(self.site_pkg_dir.as_str())
            .site_addr(self.site_addr)
            .reload_port(self.reload_port)
            .env(env)
            .build()
    }
}

/// Turns a figment error into one line: the key, where its value came from, what is wrong.
fn describe(fig: &Figment, e: figment::Error) -> ConfigError {
    let e = e.into_iter().next().expect("a figment error holds at least one error");
    let key = e.path.join(".");
    let origin = e
        .metadata
        .as_ref()
        .map(|md| match &md.source {
            Some(src) => format!(" (from {} {src})", md.name),
            None => format!(" (from {})", md.name),
        })
        .or_else(|| fig.find_metadata(&key).map(|md| format!(" (from {})", md.name)))
        .unwrap_or_default();
    if key.is_empty() {
        ConfigError(format!("{}{origin}", e.kind))
    } else {
        ConfigError(format!("key `{key}`{origin}: {}", e.kind))
    }
}
