//! Numbers, dates and elapsed times written the way each language writes
//! them (CLDR conventions): `1,234.5` and `24 Nov 2026, 12:26 UTC` in
//! English, `1 234,5` (narrow no-break space) and `24 nov. 2026, 12:26 UTC`
//! in French. Fluent selects plurals but does not group digits, hence this.
use super::lang::Lang;

/// French groups digits with U+202F NARROW NO-BREAK SPACE.
const NNBSP: char = '\u{202F}';

fn separators(lang: Lang) -> (char, char) {
    match lang {
        Lang::En => (',', '.'),
        Lang::Fr => (NNBSP, ','),
    }
}

/// A whole number with grouped thousands.
pub fn integer(lang: Lang, n: i64) -> String {
    let (group, _) = separators(lang);
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(d);
    }
    out
}

/// A number with `decimals` digits after the decimal mark.
pub fn decimal(lang: Lang, x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let text = format!("{:.*}", decimals, x.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let whole: i64 = whole.parse().unwrap_or(i64::MAX);
    let negative = x < 0.0 && text.bytes().any(|b| matches!(b, b'1'..=b'9'));
    let mut out = integer(lang, whole);
    if negative {
        out.insert(0, '-');
    }
    if !fraction.is_empty() {
        out.push(separators(lang).1);
        out.push_str(fraction);
    }
    out
}

/// A point in time read from an RFC 3339 timestamp, in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instant {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub epoch: i64,
}

/// Reads `2026-11-24T12:26:06.73+00:00` (or `…Z`, or a space for `T`).
pub fn parse_timestamp(text: &str) -> Option<Instant> {
    let b = text.trim().as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let s = b.get(from..from + len)?;
        s.iter().all(u8::is_ascii_digit).then(|| s.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
    };
    if b.len() < 16 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' {
        return None;
    }
    let (year, month, day, hour, minute) = (num(0, 4)?, num(5, 2)?, num(8, 2)?, num(11, 2)?, num(14, 2)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    let mut rest = 16;
    let second = if b.get(16) == Some(&b':') {
        rest = 19;
        num(17, 2)?
    } else {
        0
    };
    if b.get(rest) == Some(&b'.') {
        rest += 1;
        while b.get(rest).is_some_and(u8::is_ascii_digit) {
            rest += 1;
        }
    }
    let offset = match b.get(rest) {
        None | Some(b'Z' | b'z') => 0,
        Some(sign @ (b'+' | b'-')) => {
            let minutes = num(rest + 1, 2)? * 60 + num(rest + 4, 2)?;
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        Some(_) => return None,
    };
    let days = days_from_civil(year, month, day);
    Some(Instant { epoch: days * 86_400 + hour * 3600 + minute * 60 + second - offset * 60 })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (inverse of `days_from_civil`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTHS_FR: [&str; 12] =
    ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];

/// `24 Nov 2026, 12:26 UTC` / `24 nov. 2026, 12:26 UTC`; an unreadable
/// timestamp is shown as it is.
pub fn date_time(lang: Lang, timestamp: &str) -> String {
    let Some(t) = parse_timestamp(timestamp) else { return timestamp.to_string() };
    let (y, m, d) = civil_from_days(t.epoch.div_euclid(86_400));
    let secs = t.epoch.rem_euclid(86_400);
    let months = match lang {
        Lang::En => &MONTHS_EN,
        Lang::Fr => &MONTHS_FR,
    };
    let month = months[usize::try_from(m - 1).unwrap_or(0).min(11)];
    format!("{d} {month} {y}, {:02}:{:02} UTC", secs / 3600, secs % 3600 / 60)
}

/// `24 Nov 2026` / `24 nov. 2026` from `2026-11-24` (or a timestamp); an
/// unreadable date is shown as it is.
pub fn date(lang: Lang, day: &str) -> String {
    let stamp = if day.len() == 10 { format!("{day}T00:00:00Z") } else { day.to_string() };
    match date_time(lang, &stamp).split_once(',') {
        Some((date, _)) if parse_timestamp(&stamp).is_some() => date.to_string(),
        _ => day.to_string(),
    }
}

/// `87.5%` / `87,5 %` (narrow no-break space before the sign in French).
pub fn percent(lang: Lang, x: f64, decimals: usize) -> String {
    match lang {
        Lang::En => format!("{}%", decimal(lang, x, decimals)),
        Lang::Fr => format!("{}\u{202F}%", decimal(lang, x, decimals)),
    }
}

/// How long ago something happened, in the largest unit that fits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Elapsed {
    /// Less than a minute (or in the future: clocks differ).
    JustNow,
    Minutes(i64),
    Hours(i64),
    Days(i64),
    Months(i64),
    Years(i64),
}

/// `seconds` ago as an `Elapsed`.
pub fn elapsed(seconds: i64) -> Elapsed {
    match seconds {
        s if s < 60 => Elapsed::JustNow,
        s if s < 3600 => Elapsed::Minutes(s / 60),
        s if s < 86_400 => Elapsed::Hours(s / 3600),
        s if s < 30 * 86_400 => Elapsed::Days(s / 86_400),
        s if s < 365 * 86_400 => Elapsed::Months(s / (30 * 86_400)),
        s => Elapsed::Years(s / (365 * 86_400)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_per_language() {
        assert_eq!(integer(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(integer(Lang::Fr, 1_234_567), "1\u{202F}234\u{202F}567");
        assert_eq!(integer(Lang::En, 999), "999");
        assert_eq!(integer(Lang::En, -1000), "-1,000");
        assert_eq!(integer(Lang::Fr, 0), "0");
        assert_eq!(decimal(Lang::En, 1234.5, 1), "1,234.5");
        assert_eq!(decimal(Lang::Fr, 1234.5, 1), "1\u{202F}234,5");
        assert_eq!(decimal(Lang::Fr, 0.25, 2), "0,25");
        assert_eq!(decimal(Lang::En, -0.04, 1), "0.0", "no minus sign on a rounded zero");
        assert_eq!(decimal(Lang::En, -12.5, 1), "-12.5");
        assert_eq!(decimal(Lang::En, f64::NAN, 1), "—");
    }

    #[test]
    fn timestamps_are_read_in_utc() {
        let t = parse_timestamp("2026-11-24T12:26:06.73+00:00").unwrap();
        assert_eq!(t.epoch, 1_795_523_166);
        assert_eq!(parse_timestamp("2026-11-24T13:26:06+01:00"), Some(t));
        assert_eq!(parse_timestamp("2026-11-24 12:26:06.73Z"), Some(t));
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z").unwrap().epoch, 0);
        assert_eq!(parse_timestamp("not a date"), None);
        assert_eq!(parse_timestamp("2026-13-01T00:00Z"), None);
    }

    #[test]
    fn dates_are_written_per_language() {
        assert_eq!(date_time(Lang::En, "2026-11-24T12:26:06.73+00:00"), "24 Nov 2026, 12:26 UTC");
        assert_eq!(date_time(Lang::Fr, "2026-02-01T09:05:00+00:00"), "1 févr. 2026, 09:05 UTC");
        assert_eq!(
            date_time(Lang::En, "2024-03-01T00:30:00+01:00"),
            "29 Feb 2024, 23:30 UTC",
            "leap day, offset applied"
        );
        assert_eq!(date_time(Lang::Fr, "bogus"), "bogus");
    }

    #[test]
    fn elapsed_picks_the_largest_unit() {
        assert_eq!(elapsed(-5), Elapsed::JustNow);
        assert_eq!(elapsed(59), Elapsed::JustNow);
        assert_eq!(elapsed(60), Elapsed::Minutes(1));
        assert_eq!(elapsed(2 * 3600 + 5), Elapsed::Hours(2));
        assert_eq!(elapsed(3 * 86_400), Elapsed::Days(3));
        assert_eq!(elapsed(65 * 86_400), Elapsed::Months(2));
        assert_eq!(elapsed(800 * 86_400), Elapsed::Years(2));
    }
}
