//! Ordering version strings the way people read them: 1.10 > 1.9, 2.0 > 2.0rc1.
use std::cmp::Ordering;

/// Compares two version strings segment by segment: numbers numerically,
/// words alphabetically, and a pre-release word (rc, alpha, beta, dev…) sorts
/// before the release it precedes.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (sa, sb) = (segments(a), segments(b));
    for i in 0..sa.len().max(sb.len()) {
        let ord = match (sa.get(i), sb.get(i)) {
            (Some(x), Some(y)) => cmp_segment(x, y),
            (Some(x), None) => tail(x),
            (None, Some(y)) => tail(y).reverse(),
            (None, None) => Ordering::Equal,
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    a.cmp(b)
}

#[derive(Debug)]
enum Seg<'a> {
    Num(u64),
    Word(&'a str),
}

fn segments(v: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    let bytes = v.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        if bytes[i].is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            out.push(Seg::Num(v[start..i].parse().unwrap_or(u64::MAX)));
        } else if bytes[i].is_ascii_alphabetic() {
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            out.push(Seg::Word(&v[start..i]));
        } else {
            i += 1;
        }
    }
    out
}

fn is_prerelease(w: &str) -> bool {
    matches!(w.to_ascii_lowercase().as_str(), "a" | "b" | "alpha" | "beta" | "rc" | "pre" | "dev" | "preview")
}

/// A version with one more segment than an otherwise equal one: newer,
/// unless that segment is a pre-release word.
fn tail(extra: &Seg<'_>) -> Ordering {
    match extra {
        Seg::Word(w) if is_prerelease(w) => Ordering::Less,
        _ => Ordering::Greater,
    }
}

fn cmp_segment(a: &Seg<'_>, b: &Seg<'_>) -> Ordering {
    match (a, b) {
        (Seg::Num(x), Seg::Num(y)) => x.cmp(y),
        (Seg::Num(_), Seg::Word(w)) => {
            if is_prerelease(w) {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (Seg::Word(w), Seg::Num(_)) => {
            if is_prerelease(w) {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }
        (Seg::Word(x), Seg::Word(y)) => x.cmp(y),
    }
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::*;

    #[test]
    fn versions_order_as_people_read_them() {
        assert_eq!(compare("1.10", "1.9"), Greater);
        assert_eq!(compare("2.0", "2.0rc1"), Greater);
        assert_eq!(compare("2.0.1", "2.0"), Greater);
        assert_eq!(compare("14.2.0", "7.5.0"), Greater);
        assert_eq!(compare("1.14.5", "1.14.5"), Equal);
        assert_eq!(compare("3.0-beta", "3.0"), Less);
    }
}
