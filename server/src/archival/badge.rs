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

#[cfg(test)]
mod tests {
    use super::*;

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
