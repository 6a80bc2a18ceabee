//! Licences: the channel's text is kept; an SPDX expression is derived with
//! the `spdx` crate where the text is one (or an imprecise spelling of one),
//! and from Guix's licence variable names through a table.
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

/// Guix's `(guix licenses)` variable names → SPDX identifiers.
const GUIX: &[(&str, &str)] = &[
    ("agpl3", "AGPL-3.0-only"), ("agpl3+", "AGPL-3.0-or-later"),
    ("asl1.1", "Apache-1.1"), ("asl2.0", "Apache-2.0"),
    ("boost1.0", "BSL-1.0"),
    ("bsd-0", "0BSD"), ("bsd-1", "BSD-1-Clause"), ("bsd-2", "BSD-2-Clause"), ("bsd-3", "BSD-3-Clause"), ("bsd-4", "BSD-4-Clause"),
    ("cc0", "CC0-1.0"), ("cc-by4.0", "CC-BY-4.0"), ("cc-by-sa4.0", "CC-BY-SA-4.0"),
    ("cddl1.0", "CDDL-1.0"), ("cecill", "CECILL-2.1"), ("cecill-b", "CECILL-B"), ("cecill-c", "CECILL-C"),
    ("epl1.0", "EPL-1.0"), ("epl2.0", "EPL-2.0"), ("expat", "MIT"), ("expat-0", "MIT-0"),
    ("fdl1.3+", "GFDL-1.3-or-later"), ("freetype", "FTL"),
    ("gpl1+", "GPL-1.0-or-later"), ("gpl2", "GPL-2.0-only"), ("gpl2+", "GPL-2.0-or-later"),
    ("gpl3", "GPL-3.0-only"), ("gpl3+", "GPL-3.0-or-later"),
    ("isc", "ISC"), ("ijg", "IJG"), ("lgpl2.0", "LGPL-2.0-only"), ("lgpl2.0+", "LGPL-2.0-or-later"),
    ("lgpl2.1", "LGPL-2.1-only"), ("lgpl2.1+", "LGPL-2.1-or-later"), ("lgpl3", "LGPL-3.0-only"), ("lgpl3+", "LGPL-3.0-or-later"),
    ("mpl1.1", "MPL-1.1"), ("mpl2.0", "MPL-2.0"), ("ncsa", "NCSA"), ("openssl", "OpenSSL"),
    ("psfl", "PSF-2.0"), ("public-domain", "LicenseRef-public-domain"), ("ruby", "Ruby"),
    ("sgifreeb2.0", "SGI-B-2.0"), ("silofl1.1", "OFL-1.1"), ("unlicense", "Unlicense"),
    ("vim", "Vim"), ("x11", "X11"), ("zlib", "Zlib"), ("zpl2.1", "ZPL-2.1"),
];

/// A Guix licence name (`gpl3+`, `license:bsd-3`, `expat`) as a record.
pub fn guix_record(raw: &str) -> LicenseRecord {
    let key = raw.trim().trim_start_matches("license:").to_ascii_lowercase();
    let spdx = GUIX
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, id)| id.to_string())
        .or_else(|| to_spdx(raw));
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
        assert_eq!(guix_record("non-copyleft").spdx, None);
        assert_eq!(guix_record("gpl3+").raw, "gpl3+");
    }
}
