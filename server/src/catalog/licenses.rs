//! Licences: the channel's text is kept; an SPDX expression is derived with
//! the `spdx` crate where the text is one (or an imprecise spelling of one),
//! and from Guix's licences (variable names and `license-name`s) through
//! the table in `guix_licenses`.
use super::model::LicenseRecord;

/// Normalises `raw` to a valid SPDX expression, or `None` when it is not one.
pub fn to_spdx(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let canonical = match spdx::Expression::canonicalize(raw) {
        Ok(Some(c)) => c,
        Ok(None) => raw.to_string(),
        Err(_) => return None,
    };
    spdx::Expression::parse(&canonical).ok().map(|_| canonical)
}

pub fn record(raw: &str, condition: Option<String>) -> LicenseRecord {
    LicenseRecord { raw: raw.to_string(), spdx: to_spdx(raw), condition }
}

/// A Guix licence, by variable name (`gpl3+`, `license:bsd-3`) or by the
/// `license-name` the exporter writes (`GPL 3+`, `Modified BSD`), as a record;
/// text that is neither is read as an SPDX expression.
pub fn guix_record(raw: &str) -> LicenseRecord {
    let spdx = super::guix_licenses::spdx(raw).map(str::to_string).or_else(|| to_spdx(raw));
    LicenseRecord { raw: raw.to_string(), spdx, condition: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spdx_expressions_are_normalised() {
        assert_eq!(to_spdx("MIT").as_deref(), Some("MIT"));
        assert_eq!(to_spdx("BSD-3-Clause AND 0BSD").as_deref(), Some("BSD-3-Clause AND 0BSD"));
        assert_eq!(to_spdx("Apache-2.0 WITH LLVM-exception").as_deref(), Some("Apache-2.0 WITH LLVM-exception"));
        assert_eq!(to_spdx("GPL-2.0+").as_deref(), Some("GPL-2.0-or-later"));
        assert_eq!(to_spdx("custom"), None);
        assert_eq!(to_spdx(""), None);
    }

    #[test]
    fn guix_names_map_to_spdx() {
        assert_eq!(guix_record("gpl3+").spdx.as_deref(), Some("GPL-3.0-or-later"));
        assert_eq!(guix_record("license:expat").spdx.as_deref(), Some("MIT"));
        assert_eq!(guix_record("GPL 3+").spdx.as_deref(), Some("GPL-3.0-or-later"), "license-name");
        assert_eq!(guix_record("Modified BSD").spdx.as_deref(), Some("BSD-3-Clause"));
        assert_eq!(guix_record("non-copyleft").spdx.as_deref(), Some("LicenseRef-guix-non-copyleft"));
        assert_eq!(guix_record("GPL-2.0+").spdx.as_deref(), Some("GPL-2.0-or-later"), "SPDX text");
        assert_eq!(guix_record("something else").spdx, None);
        assert_eq!(guix_record("gpl3+").raw, "gpl3+");
        assert_eq!(guix_record("GPL 3+").raw, "GPL 3+", "the channel's text is kept");
    }
}
