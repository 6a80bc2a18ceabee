//! Which language a page is rendered in: the visitor's explicit choice (the
//! `lang` cookie set by the header's switch), then `Accept-Language` (with
//! q-values), then English. Plain functions, shared by the Leptos pages and
//! the server's page cache, so both always agree.

/// The languages of the portal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Fr,
}

/// The name of the cookie holding the visitor's choice.
pub const COOKIE: &str = "lang";

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The BCP 47 tag, as written in `<html lang>` and in the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language's own name, as the switch shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
        }
    }

    /// The language a tag such as `fr`, `fr-CA` or `EN-gb` asks for.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Lang::ALL.into_iter().find(|l| primary.eq_ignore_ascii_case(l.code()))
    }

    /// The other language: what the switch offers.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Fr,
            Lang::Fr => Lang::En,
        }
    }
}

/// The language of a request, from its `Cookie` header (all of it) and its
/// `Accept-Language` header.
pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
    cookie.and_then(lang_cookie).or_else(|| accept_language.and_then(preferred)).unwrap_or_default()
}

/// The `lang=…` cookie's language, if it names one we have.
fn lang_cookie(header: &str) -> Option<Lang> {
    header.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        (name.trim() == COOKIE).then(|| Lang::from_tag(value.trim().trim_matches('"'))).flatten()
    })
}

/// The best language of an `Accept-Language` list that we have: highest
/// q-value first, the listed order between equals; `q=0` means "not this".
fn preferred(header: &str) -> Option<Lang> {
    let mut best: Option<(u16, Lang)> = None;
    for item in header.split(',').take(32) {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or_default().trim();
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
            .map_or(Some(1000), parse_q);
        let (Some(q), Some(lang)) = (q, Lang::from_tag(tag)) else { continue };
        if q > 0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, lang));
        }
    }
    best.map(|(_, lang)| lang)
}

/// A q-value in thousandths (`0.8` → 800); `None` when malformed.
fn parse_q(text: &str) -> Option<u16> {
    let q: f32 = text.trim().parse().ok()?;
    (0.0..=1.0).contains(&q).then(|| (q * 1000.0).round() as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_without_any_hint() {
        assert_eq!(negotiate(None, None), Lang::En);
        assert_eq!(negotiate(Some("theme=dark"), Some("de-DE,de;q=0.9")), Lang::En);
    }

    #[test]
    fn accept_language_with_q_values() {
        assert_eq!(negotiate(None, Some("fr")), Lang::Fr);
        assert_eq!(negotiate(None, Some("fr-CA,fr;q=0.9,en;q=0.8")), Lang::Fr);
        assert_eq!(negotiate(None, Some("en;q=0.5, fr;q=0.8")), Lang::Fr);
        assert_eq!(negotiate(None, Some("de, en;q=0.7, fr;q=0.3")), Lang::En);
        assert_eq!(negotiate(None, Some("fr;q=0, en;q=0.1")), Lang::En, "q=0 refuses French");
        assert_eq!(negotiate(None, Some("fr;q=0")), Lang::En);
        assert_eq!(negotiate(None, Some("fr;q=abc, en")), Lang::En, "a malformed q skips the item");
        assert_eq!(negotiate(None, Some("FR-fr")), Lang::Fr);
        assert_eq!(negotiate(None, Some("*")), Lang::En);
    }

    #[test]
    fn the_cookie_beats_the_header() {
        assert_eq!(negotiate(Some("lang=fr"), Some("en")), Lang::Fr);
        assert_eq!(negotiate(Some("a=1; lang=en; b=2"), Some("fr")), Lang::En);
        assert_eq!(negotiate(Some("xlang=fr"), None), Lang::En, "another cookie's name");
        assert_eq!(negotiate(Some("lang=klingon"), Some("fr")), Lang::Fr, "an unknown choice is ignored");
    }

    #[test]
    fn tags_and_names() {
        assert_eq!(Lang::from_tag("fr_BE"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("francais"), None);
        assert_eq!(Lang::Fr.other(), Lang::En);
        assert_eq!(Lang::En.code(), "en");
    }
}
