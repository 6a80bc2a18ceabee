#![allow(clippy::result_large_err)] // figment::Jail closures return figment::Error, as its API requires
//! Configuration: layered sources, and one clear line naming a bad key.
use figment::{
    providers::{Format, Serialized, Toml},
    Figment,
};
use pacatlas::config::{Config, LogFormat};

fn load(toml: &str) -> Result<Config, pacatlas::config::ConfigError> {
    let fig = Figment::from(Serialized::defaults(Config::default())).merge(Toml::string(toml));
    Config::from_figment(fig)
}

#[test]
fn defaults_are_valid() {
    let c = load("").unwrap();
    assert_eq!(c.site_addr.to_string(), "127.0.0.1:3000");
    assert_eq!(c.log_format, LogFormat::Auto);
}

#[test]
fn wrong_type_names_the_key() {
    let err = load("db_max_connections = \"many\"").unwrap_err().to_string();
    assert!(err.contains("`db_max_connections`"), "{err}");
    assert!(err.contains("many"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
}

#[test]
fn bad_address_names_the_key() {
    let err = load("site_addr = \"not-an-address\"").unwrap_err().to_string();
    assert!(err.contains("`site_addr`"), "{err}");
}

#[test]
fn bad_database_url_names_the_key() {
    let err = load("database_url = \"mysql://x\"").unwrap_err().to_string();
    assert!(err.contains("`database_url`"), "{err}");
    assert!(err.contains("postgres://"), "{err}");
}

#[test]
fn unknown_key_is_refused() {
    let err = load("databse_url = \"postgres://x\"").unwrap_err().to_string();
    assert!(err.contains("databse_url"), "{err}");
}

#[test]
fn unknown_log_format_names_the_key() {
    let err = load("log_format = \"xml\"").unwrap_err().to_string();
    assert!(err.contains("`log_format`"), "{err}");
}

#[test]
fn missing_database_url_is_a_clear_error_when_needed() {
    let c = load("").unwrap();
    let err = c.require_database_url().unwrap_err().to_string();
    assert!(err.contains("DATABASE_URL"), "{err}");
}

#[test]
fn secrets_never_show_in_debug_output() {
    let c = load("meili_master_key = \"hunter2\"").unwrap();
    assert_eq!(c.meili_master_key.as_ref().unwrap().expose(), "hunter2");
    assert!(!format!("{c:?}").contains("hunter2"));
}

#[test]
fn environment_overrides_file_and_names_the_variable() {
    figment::Jail::expect_with(|jail| {
        jail.create_file("pacatlas.toml", "db_max_connections = 3\nlog_format = \"json\"")?;
        jail.set_env("PACATLAS_DB_MAX_CONNECTIONS", "7");
        jail.set_env("DATABASE_URL", "postgres://u:p@127.0.0.1/x");
        jail.set_env("LEPTOS_SITE_ADDR", "127.0.0.1:4000");
        let c = Config::load(None).map_err(|e| e.to_string())?;
        assert_eq!(c.db_max_connections, 7);
        assert_eq!(c.log_format, LogFormat::Json);
        assert_eq!(c.database_url.as_deref(), Some("postgres://u:p@127.0.0.1/x"));
        assert_eq!(c.site_addr.to_string(), "127.0.0.1:4000");
        assert_eq!(c.leptos_options().site_addr.to_string(), "127.0.0.1:4000");

        jail.set_env("LEPTOS_SITE_ADDR", "nowhere");
        let err = Config::load(None).unwrap_err().to_string();
        assert!(err.contains("`site_addr`"), "{err}");
        assert!(err.contains("LEPTOS_SITE_ADDR") || err.contains("environment"), "{err}");
        Ok(())
    });
}

#[test]
fn named_config_file_must_exist() {
    let err = Config::load(Some(std::path::Path::new("/nonexistent/pacatlas.toml"))).unwrap_err().to_string();
    assert!(err.contains("/nonexistent/pacatlas.toml"), "{err}");
}

#[test]
fn unrelated_pacatlas_variables_are_ignored() {
    figment::Jail::expect_with(|jail| {
        jail.set_env("PACATLAS_E2E_URL", "http://127.0.0.1:1");
        jail.set_env("PACATLAS_LOG_FORMAT", "human");
        let c = Config::load(None).map_err(|e| e.to_string())?;
        assert_eq!(c.log_format, LogFormat::Human);
        Ok(())
    });
}

#[test]
fn a_rate_limit_without_a_burst_names_the_key() {
    let err = load("rate_limit_burst = 0").unwrap_err().to_string();
    assert!(err.contains("`rate_limit_burst`"), "{err}");
    load("rate_limit_burst = 0\nrate_limit_per_second = 0").expect("no limit, no burst needed");
}

#[test]
fn public_url_must_be_an_absolute_http_url() {
    let err = load("public_url = \"pacatlas.example.org\"").unwrap_err().to_string();
    assert!(err.contains("`public_url`"), "{err}");
    assert!(load("public_url = \"https://pacatlas.example.org\"").is_ok());
}
