//! The one status vocabulary of build results, whatever service said them,
//! and the weather of a (package, system) computed from its history.
//!
//! | Pacatlas status     | Cuirass / Hydra `buildstatus`                       | GitLab job `status`                 |
//! |---------------------|-----------------------------------------------------|-------------------------------------|
//! | `succeeded`         | 0                                                   | `success`                           |
//! | `failed`            | 1 (failed), 6 (failed with output)                  | `failed`                            |
//! | `dependency-failed` | 2 (dependency failed)                               | `skipped` (an earlier job failed)   |
//! | `timed-out`         | 7 (timed out)                                       | `failed` with a timeout `failure_reason` |
//! | `cancelled`         | 4 (cancelled)                                       | `canceled`, `canceling`             |
//! | `other`             | 3 (aborted / other failure), 5, 8, 9, 10 (log limit), 11 (output limit), 12 (non-deterministic), any other code | — |
//! | (not finished: not recorded) | negative codes (Cuirass scheduled -2, started -1), Hydra `finished` = 0 | `created`, `pending`, `running`, `manual`, `scheduled`, `preparing`, `waiting_for_resource` |
//!
//! An unknown GitLab status is refused (the service changed its vocabulary:
//! better to say so than to guess); an unknown numeric code is `other`.
use std::fmt;

use serde::{Deserialize, Serialize};

/// What became of one build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Succeeded,
    Failed,
    DependencyFailed,
    TimedOut,
    Cancelled,
    Other,
}

pub const ALL: [Status; 6] =
    [Status::Succeeded, Status::Failed, Status::DependencyFailed, Status::TimedOut, Status::Cancelled, Status::Other];

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Succeeded => "succeeded",
            Status::Failed => "failed",
            Status::DependencyFailed => "dependency-failed",
            Status::TimedOut => "timed-out",
            Status::Cancelled => "cancelled",
            Status::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Cuirass and Hydra `buildstatus`: `None` for a build not finished yet.
    pub fn from_build_status(code: i64) -> Option<Status> {
        Some(match code {
            i64::MIN..=-1 => return None,
            0 => Status::Succeeded,
            1 | 6 => Status::Failed,
            2 => Status::DependencyFailed,
            4 => Status::Cancelled,
            7 => Status::TimedOut,
            _ => Status::Other,
        })
    }

    /// A GitLab job's `status` (and `failure_reason`): `Ok(None)` for a job
    /// not finished yet, `Err` for a status GitLab does not document.
    pub fn from_gitlab(status: &str, failure_reason: Option<&str>) -> Result<Option<Status>, String> {
        Ok(Some(match status {
            "success" => Status::Succeeded,
            "failed" => match failure_reason {
                Some("job_execution_timeout" | "stuck_or_timeout_failure") => Status::TimedOut,
                _ => Status::Failed,
            },
            "skipped" => Status::DependencyFailed,
            "canceled" | "canceling" => Status::Cancelled,
            "created" | "pending" | "running" | "manual" | "scheduled" | "preparing" | "waiting_for_resource" => {
                return Ok(None)
            }
            other => return Err(format!("unknown GitLab job status {other:?}")),
        }))
    }

    /// Whether the build says the package builds (`Some(true)`), does not
    /// (`Some(false)`), or says nothing about it (cancelled: `None`).
    pub fn verdict(self) -> Option<bool> {
        match self {
            Status::Succeeded => Some(true),
            Status::Failed | Status::DependencyFailed | Status::TimedOut | Status::Other => Some(false),
            Status::Cancelled => None,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The trend of one (package, system): its last verdict against the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Weather {
    /// Fails now; succeeded before, or never built before.
    NewFailure,
    StillFailing,
    /// Succeeds now; failed before.
    Fixed,
    /// Succeeds now; succeeded before, or never built before.
    StillSucceeding,
}

impl Weather {
    pub fn as_str(self) -> &'static str {
        match self {
            Weather::NewFailure => "new-failure",
            Weather::StillFailing => "still-failing",
            Weather::Fixed => "fixed",
            Weather::StillSucceeding => "still-succeeding",
        }
    }

    pub fn parse(s: &str) -> Option<Weather> {
        [Weather::NewFailure, Weather::StillFailing, Weather::Fixed, Weather::StillSucceeding]
            .into_iter()
            .find(|w| w.as_str() == s)
    }
}

impl fmt::Display for Weather {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The weather of a history given newest first; cancelled builds say
/// nothing and are skipped. `None` when no build gave a verdict.
pub fn weather(newest_first: impl IntoIterator<Item = Status>) -> Option<Weather> {
    let mut verdicts = newest_first.into_iter().filter_map(Status::verdict);
    let last = verdicts.next()?;
    let before = verdicts.next();
    Some(match (last, before) {
        (false, Some(false)) => Weather::StillFailing,
        (false, _) => Weather::NewFailure,
        (true, Some(false)) => Weather::Fixed,
        (true, _) => Weather::StillSucceeding,
    })
}

#[cfg(test)]
mod tests {
    use super::{Status::*, Weather::*, *};

    #[test]
    fn build_status_codes_map_to_the_vocabulary() {
        let table = [
            (0, Some(Succeeded)),
            (1, Some(Failed)),
            (2, Some(DependencyFailed)),
            (3, Some(Other)),
            (4, Some(Cancelled)),
            (6, Some(Failed)),
            (7, Some(TimedOut)),
            (10, Some(Other)),
            (11, Some(Other)),
            (99, Some(Other)),
            (-1, None),
            (-2, None),
        ];
        for (code, expected) in table {
            assert_eq!(Status::from_build_status(code), expected, "code {code}");
        }
    }

    #[test]
    fn gitlab_statuses_map_to_the_vocabulary() {
        assert_eq!(Status::from_gitlab("success", None), Ok(Some(Succeeded)));
        assert_eq!(Status::from_gitlab("failed", Some("script_failure")), Ok(Some(Failed)));
        assert_eq!(Status::from_gitlab("failed", Some("job_execution_timeout")), Ok(Some(TimedOut)));
        assert_eq!(Status::from_gitlab("skipped", None), Ok(Some(DependencyFailed)));
        assert_eq!(Status::from_gitlab("canceled", None), Ok(Some(Cancelled)));
        assert_eq!(Status::from_gitlab("running", None), Ok(None));
        assert!(Status::from_gitlab("exploded", None).unwrap_err().contains("exploded"));
    }

    #[test]
    fn names_round_trip() {
        for s in ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::json!(s.as_str()));
        }
        assert_eq!(Status::parse("success"), None);
        assert_eq!(Weather::parse("fixed"), Some(Fixed));
    }

    #[test]
    fn weather_follows_the_last_two_verdicts() {
        assert_eq!(weather([]), None);
        assert_eq!(weather([Cancelled]), None);
        assert_eq!(weather([Failed]), Some(NewFailure));
        assert_eq!(weather([Failed, Succeeded, Succeeded]), Some(NewFailure));
        assert_eq!(weather([TimedOut, DependencyFailed]), Some(StillFailing));
        assert_eq!(weather([Succeeded, Failed]), Some(Fixed));
        assert_eq!(weather([Succeeded]), Some(StillSucceeding));
        assert_eq!(weather([Succeeded, Succeeded, Failed]), Some(StillSucceeding));
        // A cancelled build between two verdicts changes nothing.
        assert_eq!(weather([Succeeded, Cancelled, Failed]), Some(Fixed));
        assert_eq!(weather([Cancelled, Failed, Cancelled, Failed]), Some(StillFailing));
    }
}
