//! Forge concentration ("global concentration = global risk"): how the
//! sources of a channel spread over hosts, the Herfindahl-Hirschman index of
//! their shares, hosts classed commercial or institutional by configurable
//! lists, and the single points of failure: the hosts whose loss would leave
//! the most sources without a copy in Software Heritage.
use serde::{Deserialize, Serialize};

/// Sources of one host, and how many of them the archive does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostCount {
    pub host: String,
    pub sources: i64,
    pub unarchived: i64,
}

/// The Herfindahl-Hirschman index of `counts`: the sum of the squared
/// percentage shares, from near 0 (spread over many hosts) to 10,000 (one
/// host holds everything). 0 for no sources.
pub fn hhi(counts: &[i64]) -> f64 {
    let total: i64 = counts.iter().filter(|n| **n > 0).sum();
    if total == 0 {
        return 0.0;
    }
    counts.iter().filter(|n| **n > 0).map(|n| (*n as f64 * 100.0 / total as f64).powi(2)).sum()
}

/// The hosts whose loss would leave the most unarchived sources without a
/// copy, most first (ties by host name); hosts with none are not listed.
pub fn single_points_of_failure(hosts: &[HostCount], limit: usize) -> Vec<HostCount> {
    let mut at_risk: Vec<HostCount> = hosts.iter().filter(|h| h.unarchived > 0).cloned().collect();
    at_risk.sort_by(|a, b| b.unarchived.cmp(&a.unarchived).then_with(|| a.host.cmp(&b.host)));
    at_risk.truncate(limit);
    at_risk
}

/// Adds up host counts of several channels (the same host once).
pub fn merge(lists: impl IntoIterator<Item = HostCount>) -> Vec<HostCount> {
    let mut by_host: std::collections::BTreeMap<String, HostCount> = Default::default();
    for h in lists {
        let e = by_host.entry(h.host.clone()).or_insert(HostCount { host: h.host, sources: 0, unarchived: 0 });
        e.sources += h.sources;
        e.unarchived += h.unarchived;
    }
    let mut out: Vec<HostCount> = by_host.into_values().collect();
    out.sort_by(|a, b| b.sources.cmp(&a.sources).then_with(|| a.host.cmp(&b.host)));
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostClass {
    Commercial,
    Institutional,
    Other,
}

impl HostClass {
    pub fn as_str(self) -> &'static str {
        match self {
            HostClass::Commercial => "commercial",
            HostClass::Institutional => "institutional",
            HostClass::Other => "other",
        }
    }
}

/// Which hosts are commercial and which institutional: a host is in a list
/// when it is an entry or a sub-domain of one (`codeload.github.com`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostClasses {
    pub commercial: Vec<String>,
    pub institutional: Vec<String>,
}

/// Commercial forges and hosting (the defaults of `archival_commercial_hosts`).
pub const COMMERCIAL: &[&str] = &[
    "github.com",
    "githubusercontent.com",
    "gitlab.com",
    "bitbucket.org",
    "sourceforge.net",
    "sourceforge",
    "googlesource.com",
    "googleapis.com",
    "amazonaws.com",
];

/// Public research institutions, foundations and community archives (the
/// defaults of `archival_institutional_hosts`). Guix's `mirror://gnu/…`
/// URLs have the host `gnu`.
pub const INSTITUTIONAL: &[&str] = &[
    "gnu.org",
    "gnu",
    "nongnu.org",
    "savannah",
    "kernel.org",
    "codeberg.org",
    "inria.fr",
    "cnrs.fr",
    "cern.ch",
    "llnl.gov",
    "lbl.gov",
    "ornl.gov",
    "anl.gov",
    "sandia.gov",
    "r-project.org",
    "cran",
    "pypi.org",
    "pythonhosted.org",
    "pypi",
    "hdfgroup.org",
    "open-mpi.org",
    "mcs.anl.gov",
    "netlib.org",
    "debian.org",
    "freedesktop.org",
    "apache.org",
];

/// A list of hosts as the configuration holds it.
pub fn owned(hosts: &[&str]) -> Vec<String> {
    hosts.iter().map(|s| s.to_string()).collect()
}

impl Default for HostClasses {
    fn default() -> Self {
        Self { commercial: owned(COMMERCIAL), institutional: owned(INSTITUTIONAL) }
    }
}

fn in_list(host: &str, list: &[String]) -> bool {
    list.iter().any(|e| host == e || host.strip_suffix(e.as_str()).is_some_and(|rest| rest.ends_with('.')))
}

impl HostClasses {
    pub fn classify(&self, host: &str) -> HostClass {
        let host = host.to_ascii_lowercase();
        if in_list(&host, &self.commercial) {
            HostClass::Commercial
        } else if in_list(&host, &self.institutional) {
            HostClass::Institutional
        } else {
            HostClass::Other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(host: &str, sources: i64, unarchived: i64) -> HostCount {
        HostCount { host: host.into(), sources, unarchived }
    }

    #[test]
    fn hhi_of_a_small_known_example() {
        // Shares 60 %, 30 %, 10 %: 3600 + 900 + 100.
        assert!((hhi(&[6, 3, 1]) - 4600.0).abs() < 1e-9);
        // One host: the maximum; ten equal hosts: 10 × 10².
        assert!((hhi(&[42]) - 10_000.0).abs() < 1e-9);
        assert!((hhi(&[5; 10]) - 1000.0).abs() < 1e-9);
        assert_eq!(hhi(&[]), 0.0);
        assert_eq!(hhi(&[0, 0]), 0.0);
    }

    #[test]
    fn the_host_leaving_most_sources_without_a_copy_comes_first() {
        let hosts = [h("github.com", 60, 5), h("gitlab.inria.fr", 30, 9), h("ftp.gnu.org", 10, 0), h("a.org", 2, 5)];
        let spof = single_points_of_failure(&hosts, 10);
        let names: Vec<&str> = spof.iter().map(|h| h.host.as_str()).collect();
        assert_eq!(names, ["gitlab.inria.fr", "a.org", "github.com"]);
        assert_eq!(single_points_of_failure(&hosts, 1).len(), 1);
    }

    #[test]
    fn hosts_merge_across_channels() {
        let merged = merge([h("github.com", 2, 1), h("gnu", 5, 0), h("github.com", 4, 2)]);
        assert_eq!(merged, [h("github.com", 6, 3), h("gnu", 5, 0)]);
    }

    #[test]
    fn hosts_are_classed_by_domain() {
        let classes = HostClasses::default();
        assert_eq!(classes.classify("github.com"), HostClass::Commercial);
        assert_eq!(classes.classify("codeload.github.com"), HostClass::Commercial);
        assert_eq!(classes.classify("notgithub.com"), HostClass::Other);
        assert_eq!(classes.classify("gitlab.inria.fr"), HostClass::Institutional);
        assert_eq!(classes.classify("gnu"), HostClass::Institutional);
        assert_eq!(classes.classify("example.org"), HostClass::Other);
        let custom = HostClasses { commercial: vec![], institutional: vec!["github.com".into()] };
        assert_eq!(custom.classify("github.com"), HostClass::Institutional);
    }
}
