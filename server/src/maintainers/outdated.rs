//! "Outdated": a newer upstream version of the same project seen in another
//! ecosystem's channel. Versions are ordered by `catalog::versions::compare`;
//! only release-like versions of the same numbering scheme are compared, so
//! that `develop`, `master`, `unstable-2024-01-02`, git snapshots
//! (`0.0.0-1.3f2a9c1`) or a date (`20240117`) against a semantic version
//! (`2.3.1`) never make a package "outdated".
use std::cmp::Ordering;

use crate::catalog::versions::compare;

/// Words a release-like version may hold: pre-release markers.
const PRERELEASE: [&str; 8] = ["a", "b", "alpha", "beta", "rc", "pre", "dev", "preview"];

/// The version without a leading `v` (v2.1 is 2.1).
fn trimmed(v: &str) -> &str {
    let v = v.trim();
    match v.strip_prefix(['v', 'V']) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
        _ => v,
    }
}

/// Whether `v` reads as a release number: it starts with a digit, its words
/// are pre-release markers or single letters (1.1.1w, 9.8p1), and it holds
/// no commit hash.
pub fn release_like(v: &str) -> bool {
    let v = trimmed(v);
    if v.is_empty() || v.len() > 64 || !v.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    for chunk in v.split(['.', '-', '_', '+', '~']) {
        let letters = chunk.chars().filter(|c| c.is_ascii_alphabetic()).count();
        // A commit hash (7+ hex digits with letters): a snapshot, not a release.
        if chunk.len() >= 7 && letters > 0 && chunk.chars().all(|c| c.is_ascii_hexdigit()) {
            return false;
        }
        if !chunk.chars().all(|c| c.is_ascii_alphanumeric()) {
            return false;
        }
    }
    let mut word = String::new();
    for c in v.chars().chain(std::iter::once('.')) {
        if c.is_ascii_alphabetic() {
            word.push(c.to_ascii_lowercase());
        } else {
            if word.len() > 1 && !PRERELEASE.contains(&word.as_str()) {
                return false;
            }
            word.clear();
        }
    }
    true
}

/// The numbering scheme: calendar (the first number is a year or a date:
/// 2024.1, 20240117) or ordinal (2.3.1).
fn calendar(v: &str) -> bool {
    let first: String = trimmed(v).chars().take_while(|c| c.is_ascii_digit()).collect();
    first.len() >= 4 && first[..4].parse::<u32>().is_ok_and(|y| (1990..=2200).contains(&y))
}

/// `Some(ordering)` of `a` against `b` when both are release-like versions
/// of the same scheme; `None` when they cannot be compared.
pub fn cmp(a: &str, b: &str) -> Option<Ordering> {
    if !release_like(a) || !release_like(b) || calendar(a) != calendar(b) {
        return None;
    }
    Some(compare(trimmed(a), trimmed(b)))
}

/// The newest of `others` (versions with anything attached) that is newer
/// than `ours`; `None` when none is, or none compares.
pub fn newest_newer<'a, T>(ours: &str, others: &'a [(String, T)]) -> Option<&'a (String, T)> {
    let mut best: Option<&(String, T)> = None;
    for o in others {
        if cmp(&o.0, ours) != Some(Ordering::Greater) {
            continue;
        }
        if best.is_none_or(|b| cmp(&o.0, &b.0) == Some(Ordering::Greater)) {
            best = Some(o);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_numbers_compare() {
        assert_eq!(cmp("2.1.0", "1.14.6"), Some(Ordering::Greater));
        assert_eq!(cmp("v3.2", "3.10"), Some(Ordering::Less));
        assert_eq!(cmp("1.1.1w", "1.1.1v"), Some(Ordering::Greater));
        assert_eq!(cmp("2.0rc1", "2.0"), Some(Ordering::Less));
        assert_eq!(cmp("2024.1", "2023.4"), Some(Ordering::Greater));
        assert_eq!(cmp("20260330", "20250722"), Some(Ordering::Greater));
    }

    #[test]
    fn other_versions_do_not() {
        for v in ["develop", "master", "main", "unstable-2024-01-02", "0.0.0-1.3f2a9c1", "git", "", "1.2-custom"] {
            assert_eq!(cmp(v, "1.0"), None, "{v}");
            assert_eq!(cmp("1.0", v), None, "{v}");
        }
        // A date against a semantic version: different schemes.
        assert_eq!(cmp("20240117", "2.3"), None);
        assert_eq!(cmp("2.3", "2024.01"), None);
    }

    #[test]
    fn the_newest_newer_version_wins() {
        let others = vec![("1.9".to_string(), 'a'), ("develop".to_string(), 'b'), ("1.12".to_string(), 'c')];
        assert_eq!(newest_newer("1.10", &others).map(|o| o.1), Some('c'));
        assert_eq!(newest_newer("1.12", &others), None);
        assert_eq!(newest_newer("master", &others), None);
    }
}
