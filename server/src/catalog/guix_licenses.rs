//! Guix licences → SPDX. Every licence of Guix's `guix/licenses.scm`, known
//! both by its variable name (`gpl3+`, what package definitions write) and by
//! its `license-name` string (`"GPL 3+"`, what `scripts/guix/export-packages.scm`
//! writes), maps to one SPDX expression. Licences SPDX has no identifier for
//! (`non-copyleft`, `fsf-free`, `x11-style`, `LLGPL`…) get a stable
//! `LicenseRef-guix-…` id, so one Guix licence never shows as two facet values.

/// One licence of `guix/licenses.scm`.
pub struct GuixLicense {
    /// The Scheme variable (`gpl3+`).
    pub variable: &'static str,
    /// Its `license-name` (`GPL 3+`).
    pub name: &'static str,
    /// The SPDX expression or `LicenseRef-…` id.
    pub spdx: &'static str,
}

const fn l(variable: &'static str, name: &'static str, spdx: &'static str) -> GuixLicense {
    GuixLicense { variable, name, spdx }
}

/// The table, in the order of `guix/licenses.scm` (2025), plus the licences
/// older Guix revisions had (`cc-sampling-plus-1.0`) and the aliases
/// (`bsd-style` = `non-copyleft`, `perl-license` = `gpl1+`).
pub const TABLE: &[GuixLicense] = &[
    l("afl2.1", "AFL 2.1", "AFL-2.1"),
    l("agpl1", "AGPL 1", "AGPL-1.0-only"),
    l("agpl3", "AGPL 3", "AGPL-3.0-only"),
    l("agpl3+", "AGPL 3+", "AGPL-3.0-or-later"),
    l("apsl2", "APSL 2.0", "APSL-2.0"),
    l("arphic-1999", "Arphic Public License", "Arphic-1999"),
    l("asl1.1", "ASL 1.1", "Apache-1.1"),
    l("asl2.0", "ASL 2.0", "Apache-2.0"),
    l("blue-oak1.0.0", "BlueOak-1.0.0", "BlueOak-1.0.0"),
    l("boost1.0", "Boost 1.0", "BSL-1.0"),
    l("bsd-0", "Zero-Clause BSD", "0BSD"),
    l("bsd-1", "BSD 1-Clause", "BSD-1-Clause"),
    l("bsd-2", "FreeBSD", "BSD-2-Clause"),
    l("bsd-3", "Modified BSD", "BSD-3-Clause"),
    l("bsd-4", "Original BSD", "BSD-4-Clause"),
    l("non-copyleft", "non-copyleft", "LicenseRef-guix-non-copyleft"),
    l("bsd-style", "non-copyleft", "LicenseRef-guix-non-copyleft"),
    l("cc0", "CC0", "CC0-1.0"),
    l("cc-by-sa4.0", "CC-BY-SA 4.0", "CC-BY-SA-4.0"),
    l("cc-by-sa3.0", "CC-BY-SA 3.0", "CC-BY-SA-3.0"),
    l("cc-by-sa2.0", "CC-BY-SA 2.0", "CC-BY-SA-2.0"),
    l("cc-by4.0", "CC-BY 4.0", "CC-BY-4.0"),
    l("cc-by3.0", "CC-BY 3.0", "CC-BY-3.0"),
    l("cc-by2.0", "CC-BY 2.0", "CC-BY-2.0"),
    l("cc-sampling-plus-1.0", "CC-Sampling+ 1.0", "LicenseRef-guix-cc-sampling-plus-1.0"),
    l("cddl1.0", "CDDL 1.0", "CDDL-1.0"),
    l("cddl1.1", "CDDL 1.1", "CDDL-1.1"),
    l("cecill", "CeCILL", "CECILL-2.1"),
    l("cecill-b", "CeCILL-B", "CECILL-B"),
    l("cecill-c", "CeCILL-C", "CECILL-C"),
    l("artistic2.0", "Artistic License 2.0", "Artistic-2.0"),
    l("clarified-artistic", "Clarified Artistic", "ClArtistic"),
    l("copyleft-next", "copyleft-next", "copyleft-next-0.3.0"),
    l("cpl1.0", "CPL 1.0", "CPL-1.0"),
    l("cua-opl1.0", "CUA Office Public License v1.0", "CUA-OPL-1.0"),
    // The Eclipse Distribution License 1.0 is the 3-clause BSD licence
    // (SPDX lists it under BSD-3-Clause).
    l("edl1.0", "EDL 1.0", "BSD-3-Clause"),
    l("epl1.0", "EPL 1.0", "EPL-1.0"),
    l("epl2.0", "EPL 2.0", "EPL-2.0"),
    l("eupl1.1", "EUPL 1.1", "EUPL-1.1"),
    l("eupl1.2", "EUPL 1.2", "EUPL-1.2"),
    l("expat", "Expat", "MIT"),
    l("expat-0", "Expat No Attribution", "MIT-0"),
    l("freetype", "Freetype", "FTL"),
    l("giftware", "Giftware", "Giftware"),
    l("gpl1", "GPL 1", "GPL-1.0-only"),
    l("gpl1+", "GPL 1+", "GPL-1.0-or-later"),
    l("perl-license", "GPL 1+", "GPL-1.0-or-later"),
    l("gpl2", "GPL 2", "GPL-2.0-only"),
    l("gpl2+", "GPL 2+", "GPL-2.0-or-later"),
    l("gpl3", "GPL 3", "GPL-3.0-only"),
    l("gpl3+", "GPL 3+", "GPL-3.0-or-later"),
    l("gfl1.0", "GUST font license 1.0", "LicenseRef-guix-gfl1.0"),
    l("fdl1.1+", "FDL 1.1+", "GFDL-1.1-or-later"),
    l("fdl1.2+", "FDL 1.2+", "GFDL-1.2-or-later"),
    l("fdl1.3+", "FDL 1.3+", "GFDL-1.3-or-later"),
    l("freebsd-doc", "FreeBSD Documentation License", "FreeBSD-DOC"),
    l("opl1.0+", "Open Publication License 1.0 or later", "OPUBL-1.0+"),
    l("osl2.1", "The Open Software License 2.1", "OSL-2.1"),
    l("isc", "ISC", "ISC"),
    l("ijg", "IJG", "IJG"),
    l("ibmpl1.0", "IBMPL 1.0", "IPL-1.0"),
    l("imlib2", "Imlib2", "Imlib2"),
    l("ipa", "IPA Font License", "IPA"),
    l("knuth", "Donald Knuth's license for TeX", "Knuth-CTAN"),
    l("lal1.3", "Free Art License 1.3", "LAL-1.3"),
    l("lgpl2.0", "LGPL 2.0", "LGPL-2.0-only"),
    l("lgpl2.0+", "LGPL 2.0+", "LGPL-2.0-or-later"),
    l("lgpl2.1", "LGPL 2.1", "LGPL-2.1-only"),
    l("lgpl2.1+", "LGPL 2.1+", "LGPL-2.1-or-later"),
    l("lgpl3", "LGPL 3", "LGPL-3.0-only"),
    l("lgpl3+", "LGPL 3+", "LGPL-3.0-or-later"),
    l("llgpl", "LLGPL", "LicenseRef-guix-llgpl"),
    l("lpl1.02", "LPL 1.02", "LPL-1.02"),
    l("lppl", "LPPL (any version)", "LPPL-1.0+"),
    l("lppl1.0+", "LPPL 1.0+", "LPPL-1.0+"),
    l("lppl1.1+", "LPPL 1.1+", "LPPL-1.1+"),
    l("lppl1.2", "LPPL 1.2", "LPPL-1.2"),
    l("lppl1.2+", "LPPL 1.2+", "LPPL-1.2+"),
    l("lppl1.3", "LPPL 1.3", "LicenseRef-guix-lppl1.3"),
    l("lppl1.3+", "LPPL 1.3+", "LicenseRef-guix-lppl1.3-or-later"),
    l("lppl1.3a", "LPPL 1.3a", "LPPL-1.3a"),
    l("lppl1.3a+", "LPPL 1.3a+", "LPPL-1.3a+"),
    l("lppl1.3b", "LPPL 1.3b", "LicenseRef-guix-lppl1.3b"),
    l("lppl1.3b+", "LPPL 1.3b+", "LicenseRef-guix-lppl1.3b-or-later"),
    l("lppl1.3c", "LPPL 1.3c", "LPPL-1.3c"),
    l("lppl1.3c+", "LPPL 1.3c+", "LPPL-1.3c+"),
    l("miros", "MirOS", "MirOS"),
    l("mpl1.0", "MPL 1.0", "MPL-1.0"),
    l("mpl1.1", "MPL 1.1", "MPL-1.1"),
    l("mpl2.0", "MPL 2.0", "MPL-2.0"),
    l("ms-pl", "Ms-PL", "MS-PL"),
    l("ncsa", "NCSA/University of Illinois Open Source License", "NCSA"),
    l("nmap", "Nmap license", "LicenseRef-guix-nmap"),
    l("ogl-psi1.0", "Open Government Licence for Public Sector Information", "OGL-UK-1.0"),
    l("ohl2-s", "Cern OHL version 2 - Strongly reciprocal variant", "CERN-OHL-S-2.0"),
    l("ohl2-w", "Cern OHL version 2 - Weakly reciprocal variant", "CERN-OHL-W-2.0"),
    l("ohl2-p", "Cern OHL version 2 - Permissive variant", "CERN-OHL-P-2.0"),
    l("openssl", "OpenSSL", "OpenSSL"),
    l("openldap2.8", "OpenLDAPv2.8", "OLDAP-2.8"),
    l("psfl", "Python Software Foundation License", "PSF-2.0"),
    l("public-domain", "Public Domain", "LicenseRef-public-domain"),
    l("qpl", "QPL", "QPL-1.0"),
    l("qwt1.0", "QWT 1.0", "LGPL-2.1-only WITH Qwt-exception-1.0"),
    l("repoze", "Repoze", "LicenseRef-guix-repoze"),
    l("ruby", "Ruby License", "Ruby"),
    l("sgifreeb2.0", "SGI Free Software License B, version 2.0", "SGI-B-2.0"),
    l("silofl1.1", "SIL OFL 1.1", "OFL-1.1"),
    l("sleepycat", "Sleepycat", "Sleepycat"),
    l("tcl/tk", "Tcl/Tk", "TCL"),
    l("vim", "Vim", "Vim"),
    l("unicode", "Unicode", "LicenseRef-guix-unicode"),
    l("unlicense", "Unlicense", "Unlicense"),
    l("upl1.0", "UPL-1.0", "UPL-1.0"),
    l("w3c", "W3C Software Notice and License", "W3C"),
    l("wtfpl2", "WTFPL 2", "WTFPL"),
    l("wxwindows3.1+", "wxWindows 3.1+", "LGPL-2.0-or-later WITH WxWindows-exception-3.1"),
    l("x11", "X11", "X11"),
    l("x11-style", "X11-style", "LicenseRef-guix-x11-style"),
    l("zpl2.1", "Zope Public License 2.1", "ZPL-2.1"),
    l("zlib", "Zlib", "Zlib"),
    l("hpnd", "HPND", "HPND"),
    l("fsf-free", "FSF-free", "LicenseRef-guix-fsf-free"),
    l("fsdg-compatible", "FSDG-compatible", "LicenseRef-guix-fsdg-compatible"),
];

/// The SPDX expression of a Guix licence given by its `license-name`
/// (exact, then ignoring case) or its variable name (`gpl3+`,
/// `license:gpl3+`, ignoring case); `None` when it is neither.
pub fn spdx(raw: &str) -> Option<&'static str> {
    let raw = raw.trim();
    if let Some(l) = TABLE.iter().find(|l| l.name == raw) {
        return Some(l.spdx);
    }
    let variable = match raw.get(..8) {
        Some(prefix) if prefix.eq_ignore_ascii_case("license:") => &raw[8..],
        _ => raw,
    };
    TABLE
        .iter()
        .find(|l| l.variable.eq_ignore_ascii_case(variable))
        .or_else(|| TABLE.iter().find(|l| l.name.eq_ignore_ascii_case(raw)))
        .map(|l| l.spdx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_is_a_valid_spdx_expression() {
        assert!(spdx::Expression::parse("No-Such-Licence-1.0").is_err(), "the check rejects unknown ids");
        for l in TABLE {
            assert!(
                spdx::Expression::parse(l.spdx).is_ok(),
                "{} ({}) → {:?} does not parse",
                l.variable,
                l.name,
                l.spdx
            );
        }
    }

    #[test]
    fn every_name_and_variable_is_found() {
        for l in TABLE {
            assert_eq!(spdx(l.variable), Some(l.spdx), "variable {}", l.variable);
            assert_eq!(spdx(&format!("license:{}", l.variable)), Some(l.spdx), "license:{}", l.variable);
            // A name shared by an alias maps to the same expression.
            assert_eq!(spdx(l.name), Some(l.spdx), "name {:?}", l.name);
        }
    }

    #[test]
    fn variables_are_unique_and_one_name_means_one_licence() {
        for (i, a) in TABLE.iter().enumerate() {
            for b in &TABLE[i + 1..] {
                assert_ne!(a.variable, b.variable);
                if a.name.eq_ignore_ascii_case(b.name) {
                    assert_eq!(a.spdx, b.spdx, "{} and {} share a name", a.variable, b.variable);
                }
            }
        }
    }

    #[test]
    fn names_the_exporter_writes_map_to_spdx() {
        for (name, id) in [
            ("GPL 3+", "GPL-3.0-or-later"),
            ("ASL 2.0", "Apache-2.0"),
            ("Modified BSD", "BSD-3-Clause"),
            ("FreeBSD", "BSD-2-Clause"),
            ("LGPL 2.1+", "LGPL-2.1-or-later"),
            ("Expat", "MIT"),
            ("Public Domain", "LicenseRef-public-domain"),
            ("non-copyleft", "LicenseRef-guix-non-copyleft"),
            ("FSF-free", "LicenseRef-guix-fsf-free"),
            ("NCSA/University of Illinois Open Source License", "NCSA"),
            ("wxWindows 3.1+", "LGPL-2.0-or-later WITH WxWindows-exception-3.1"),
            ("  gpl 3+ ", "GPL-3.0-or-later"),
        ] {
            assert_eq!(spdx(name), Some(id), "{name:?}");
        }
    }

    #[test]
    fn variables_map_like_their_names() {
        assert_eq!(spdx("gpl3+"), spdx("GPL 3+"));
        assert_eq!(spdx("bsd-style"), spdx("non-copyleft"));
        assert_eq!(spdx("perl-license"), spdx("gpl1+"));
        assert_eq!(spdx("License:ASL2.0"), Some("Apache-2.0"));
    }

    #[test]
    fn unknown_text_is_not_guessed() {
        assert_eq!(spdx("GPL 4+"), None);
        assert_eq!(spdx(""), None);
        assert_eq!(spdx("license:"), None);
        assert_eq!(spdx("licenseé:x"), None, "a multi-byte character at the prefix's end does not panic");
        assert_eq!(spdx("MIT"), None, "SPDX ids are left to the SPDX parser");
    }
}
