//! `--since`: an RFC 3339 date (`2026-11-01T00:00:00Z`, or a day
//! `2026-11-01`, read as midnight UTC) or a duration back from now
//! (`7d`, `12h`, `2w`, `1day 6h`: humantime's notation).
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};

/// Reads `value` as a moment, durations counted back from `now`.
pub fn parse_since(value: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let value = value.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(day) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Ok(day.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or(now));
    }
    let back = parse_duration(value).map_err(|_| {
        format!("{value:?} is neither an RFC 3339 date (2026-11-01T00:00:00Z, 2026-11-01) nor a duration (7d, 12h)")
    })?;
    let back = chrono::Duration::from_std(back).map_err(|_| format!("{value:?}: duration too long"))?;
    now.checked_sub_signed(back).ok_or_else(|| format!("{value:?}: duration too long"))
}

/// A duration such as `10m`, `1h 30m`, `7d`, `500ms`.
pub fn parse_duration(value: &str) -> Result<Duration, String> {
    humantime::parse_duration(value.trim()).map_err(|e| format!("{value:?} is not a duration (10m, 1h, 7d): {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_dates_and_durations_back_from_now() {
        let now = DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z").unwrap().with_timezone(&Utc);
        let at = |s: &str| parse_since(s, now).map(|t| t.to_rfc3339());
        assert_eq!(at("2026-11-01T08:30:00+01:00"), Ok("2026-11-01T07:30:00+00:00".into()));
        assert_eq!(at("2026-11-01"), Ok("2026-11-01T00:00:00+00:00".into()));
        assert_eq!(at("7d"), Ok("2026-11-20T12:00:00+00:00".into()));
        assert_eq!(at("12h"), Ok("2026-11-27T00:00:00+00:00".into()));
        assert_eq!(at("2w"), Ok("2026-11-13T12:00:00+00:00".into()));
        let e = at("last tuesday").unwrap_err();
        assert!(e.contains("last tuesday") && e.contains("RFC 3339"), "{e}");
        assert!(at("2026-13-01").is_err());
    }

    #[test]
    fn durations_read_like_humans_write_them() {
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_duration("1h 30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert!(parse_duration("often").unwrap_err().contains("often"));
    }
}
