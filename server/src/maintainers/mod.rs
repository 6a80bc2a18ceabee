//! Maintainers (#13): who looks after which package. Declared maintainers
//! come from channel metadata (tables `maintainers`, `package_maintainers`,
//! filled by ingest); claimants are people who logged in and hold an active
//! claim (`claims` with status verified or approved, owned by `accounts`),
//! known by their linked identities (same forge words as `maintainers`).
//!
//! - `packages`: a maintainer's packages with their health (CI, archival,
//!   outdated), sorted and paged — the maintainer's page;
//! - `index`: every maintainer, most packages first, searchable;
//! - `inbox`: what needs attention (CI failures, archival gaps, outdated
//!   versions), for identities or a user; `feed`: the same as Atom;
//! - `outdated`: which versions compare, and which is newer.
//!
//! Public data only: forge, handle and the public name; never user ids.
pub mod demo;
pub mod feed;
pub mod inbox;
pub mod index;
pub mod outdated;
pub mod packages;

/// A forge account: `github`, a GitLab host, `orcid` (lower-case), and the
/// handle on it (compared case-insensitively).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub forge: String,
    pub handle: String,
}

/// Why a forge and handle cannot name a maintainer (the API's 400).
pub fn validate(forge: &str, handle: &str) -> Result<(), String> {
    let forge_ok = !forge.is_empty()
        && forge.len() <= 253
        && forge.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && forge.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
    if !forge_ok {
        return Err("forge must be github, orcid or a forge's host name (lower case)".into());
    }
    if !app::api::maintainers::has_page(forge) {
        return Err("e-mail addresses have no maintainer page".into());
    }
    if handle.is_empty() || handle.chars().count() > 255 || handle.chars().any(char::is_control) {
        return Err("handle must be 1 to 255 characters".into());
    }
    Ok(())
}

/// Claim statuses that make a claim active.
pub const ACTIVE_CLAIMS: &str = "('verified', 'approved')";

#[cfg(test)]
mod tests {
    #[test]
    fn forges_and_handles_are_checked() {
        assert!(super::validate("github", "Alice").is_ok());
        assert!(super::validate("gitlab.inria.fr", "bob").is_ok());
        assert!(super::validate("GitHub", "alice").is_err());
        assert!(super::validate("email", "a@b.c").is_err());
        assert!(super::validate("github", "").is_err());
        assert!(super::validate("github", &"x".repeat(256)).is_err());
    }
}
