//! The archival badge of a package (`/badge/archival/{ecosystem}/{channel}/{name}.svg`):
//! `archived` when Software Heritage holds every source, `partly`, `not
//! archived` when it holds none of those checked, `unknown` otherwise.

/// What the badge says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Archived,
    Partly,
    Not,
    Unknown,
}

impl Verdict {
    /// The word of the JSON API.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Archived => "archived",
            Verdict::Partly => "partly",
            Verdict::Not => "not",
            Verdict::Unknown => "unknown",
        }
    }

    /// The badge's message.
    pub fn message(self) -> &'static str {
        match self {
            Verdict::Archived => "archived",
            Verdict::Partly => "partly archived",
            Verdict::Not => "not archived",
            Verdict::Unknown => "unknown",
        }
    }

    pub fn colour(self) -> &'static str {
        match self {
            Verdict::Archived => "#2e7d32",
            Verdict::Partly => "#8a5a00",
            Verdict::Not => "#c62828",
            Verdict::Unknown => "#616161",
        }
    }
}

/// The verdict of a package whose sources have these statuses (archived,
/// missing, unknown, error or unchecked).
pub fn verdict(statuses: &[&str]) -> Verdict {
    let archived = statuses.iter().filter(|s| **s == "archived").count();
    if statuses.is_empty() {
        Verdict::Unknown
    } else if archived == statuses.len() {
        Verdict::Archived
    } else if archived > 0 {
        Verdict::Partly
    } else if statuses.contains(&"missing") {
        Verdict::Not
    } else {
        Verdict::Unknown
    }
}

/// The same verdict from counts: `sources` in all, `archived` of them held,
/// `missing` of them checked and not held.
pub fn verdict_of_counts(sources: i64, archived: i64, missing: i64) -> Verdict {
    if sources <= 0 {
        Verdict::Unknown
    } else if archived >= sources {
        Verdict::Archived
    } else if archived > 0 {
        Verdict::Partly
    } else if missing > 0 {
        Verdict::Not
    } else {
        Verdict::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_give_the_verdict_statuses_give() {
        for statuses in [
            &["archived", "archived"][..],
            &["archived", "missing"],
            &["missing", "unknown"],
            &["unknown", "error"],
            &[],
        ] {
            let count = |s: &str| statuses.iter().filter(|x| **x == s).count() as i64;
            assert_eq!(
                verdict_of_counts(statuses.len() as i64, count("archived"), count("missing")),
                verdict(statuses),
                "{statuses:?}"
            );
        }
    }

    #[test]
    fn every_source_archived_or_some_or_none() {
        assert_eq!(verdict(&["archived", "archived"]), Verdict::Archived);
        assert_eq!(verdict(&["archived", "missing"]), Verdict::Partly);
        assert_eq!(verdict(&["archived", "unchecked"]), Verdict::Partly);
        assert_eq!(verdict(&["missing", "unknown"]), Verdict::Not);
        assert_eq!(verdict(&["unknown", "error", "unchecked"]), Verdict::Unknown);
        assert_eq!(verdict(&[]), Verdict::Unknown);
    }
}
