//! Money as exact cents: amounts are `numeric(16, 2)` in the database and
//! decimal strings everywhere else; sums are taken on integers, per
//! currency, never across currencies and never through floats.

/// Largest amount accepted (the column's precision: 14 digits before the point).
pub const MAX_CENTS: i128 = 9_999_999_999_999_999;

/// `"1234"`, `"1234.5"`, `"1234.50"` → cents. No sign, no exponent, no
/// grouping, at most two decimals.
pub fn parse_cents(text: &str) -> Option<i128> {
    let text = text.trim();
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    if whole.is_empty() || whole.len() > 14 || frac.len() > 2 {
        return None;
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if text.contains('.') && frac.is_empty() {
        return None;
    }
    let whole: i128 = whole.parse().ok()?;
    let frac: i128 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i128>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    let cents = whole * 100 + frac;
    (cents <= MAX_CENTS).then_some(cents)
}

/// Cents → `"1234.50"`.
pub fn format_cents(cents: i128) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.abs();
    format!("{sign}{}.{:02}", c / 100, c % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact() {
        assert_eq!(parse_cents("1234"), Some(123_400));
        assert_eq!(parse_cents("1234.5"), Some(123_450));
        assert_eq!(parse_cents("0.01"), Some(1));
        assert_eq!(parse_cents("0.1").map(|c| c + parse_cents("0.2").unwrap()), parse_cents("0.3"));
        for bad in ["", "-1", "1.234", "1,5", "1e3", "1.", ".5", "abc", "123456789012345"] {
            assert_eq!(parse_cents(bad), None, "{bad}");
        }
        assert_eq!(format_cents(123_450), "1234.50");
        assert_eq!(format_cents(5), "0.05");
    }
}
