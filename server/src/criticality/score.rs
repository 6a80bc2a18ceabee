//! The criticality score: how much depends on a project, raised by what
//! makes it fragile. The formula (also in the README and on the page):
//!
//! ```text
//! importance = log2(1 + transitive) + 0.5 × log2(1 + direct) + (ecosystems − 1)
//! fragility  = 1 + 0.5 × [no maintainer]
//!                + 0.25 × (failing CI packages / packages built by a CI)
//!                + 0.25 × (sources missing from Software Heritage / sources checked)
//! score      = importance × fragility        (rounded to 2 decimals)
//! ```
//!
//! A share without data (no CI, nothing checked) counts 0. Funding and the
//! number of maintainers are not in the score beyond "no maintainer": the
//! critical list filters on them.

/// The facts a score is made of.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    pub direct: u64,
    pub transitive: u64,
    pub ecosystems: u32,
    pub maintainers: u32,
    pub ci_packages: u32,
    pub ci_failing: u32,
    pub sources_checked: u32,
    pub sources_archived: u32,
}

fn share(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        0.0
    } else {
        f64::from(part.min(whole)) / f64::from(whole)
    }
}

pub fn score(f: &Facts) -> f64 {
    let importance = (1.0 + f.transitive as f64).log2()
        + 0.5 * (1.0 + f.direct as f64).log2()
        + f64::from(f.ecosystems.saturating_sub(1));
    let fragility = 1.0
        + if f.maintainers == 0 { 0.5 } else { 0.0 }
        + 0.25 * share(f.ci_failing, f.ci_packages)
        + 0.25 * share(f.sources_checked - f.sources_archived.min(f.sources_checked), f.sources_checked);
    (importance * fragility * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_formula() {
        // 7 transitive (log2 8 = 3), 3 direct (0.5 × log2 4 = 1), 2 ecosystems (+1): 5;
        // no maintainer (+0.5), 1 of 2 CI packages failing (+0.125), 1 of 4 sources missing (+0.0625).
        let f = Facts {
            direct: 3,
            transitive: 7,
            ecosystems: 2,
            maintainers: 0,
            ci_packages: 2,
            ci_failing: 1,
            sources_checked: 4,
            sources_archived: 3,
        };
        assert_eq!(score(&f), 8.44); // 5 × 1.6875 = 8.4375
        assert_eq!(score(&Facts { maintainers: 1, ci_packages: 0, sources_checked: 0, ..f.clone() }), 5.0);
        assert_eq!(score(&Facts { ecosystems: 1, ..Default::default() }), 0.0);
    }

    #[test]
    fn more_dependents_score_higher() {
        let a = Facts { transitive: 100, direct: 10, ecosystems: 1, maintainers: 1, ..Default::default() };
        let b = Facts { transitive: 1000, ..a.clone() };
        assert!(score(&b) > score(&a));
    }
}
