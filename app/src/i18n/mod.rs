//! English and French: the message catalogues (`app/locales/{en,fr}/*.ftl`,
//! Fluent, embedded in both the server and the browser bundle), the
//! language of the page in Leptos context, and per-language formats.
//!
//! The server negotiates the language per request (`lang::negotiate`) and
//! writes it into `<html lang>`; the browser reads it back from there at
//! start, so hydration renders the same words the server sent.
pub mod format;
pub mod lang;

use std::{borrow::Cow, collections::HashMap, sync::Mutex};

use fluent_templates::{fluent_bundle::FluentValue, LanguageIdentifier};

pub use lang::{negotiate, Lang};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: they would end up in
        // titles, attributes and copied text.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// Keys asked for that no catalogue holds (checked by the tests).
static MISSING: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// The keys looked up so far that no catalogue has.
pub fn missing_keys() -> Vec<String> {
    MISSING.lock().map(|m| m.clone()).unwrap_or_default()
}

fn langid(lang: Lang) -> LanguageIdentifier {
    match lang {
        Lang::En => fluent_templates::langid!("en"),
        Lang::Fr => fluent_templates::langid!("fr"),
    }
}

/// One argument of a message.
pub enum Arg {
    Text(String),
    Number(i64),
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}
impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}

impl Lang {
    /// The message `key` in this language.
    pub fn t(self, key: &str) -> String {
        // A message without arguments reads the same every time: formatted
        // once per thread (a page asks for dozens).
        thread_local! {
            static TEXTS: std::cell::RefCell<[HashMap<String, String>; 2]> = Default::default();
        }
        let slot = self as usize;
        TEXTS.with(|texts| {
            if let Some(text) = texts.borrow()[slot].get(key) {
                return text.clone();
            }
            // Only keys the catalogues hold are kept: a key built from a
            // request's data cannot grow the cache.
            let Some(text) = self.find(key, None) else { return self.lookup(key, None) };
            texts.borrow_mut()[slot].insert(key.to_string(), text.clone());
            text
        })
    }

    /// The message `key` with its arguments.
    pub fn ta(self, key: &str, args: &[(&'static str, Arg)]) -> String {
        let map = args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    Arg::Text(s) => FluentValue::from(s.clone()),
                    Arg::Number(n) => FluentValue::from(*n),
                };
                (Cow::Borrowed(*name), value)
            })
            .collect::<HashMap<_, _>>();
        self.lookup(key, Some(&map))
    }

    /// A message about `count` things: `$count` selects the plural form and
    /// `$n` is the count written in this language (`1 234`).
    pub fn tn(self, key: &str, count: i64) -> String {
        self.ta(key, &[("count", Arg::Number(count)), ("n", Arg::Text(self.int(count)))])
    }

    /// `count` with `args`, as `tn`.
    pub fn tna(self, key: &str, count: i64, args: Vec<(&'static str, Arg)>) -> String {
        let mut all = vec![("count", Arg::Number(count)), ("n", Arg::Text(self.int(count)))];
        all.extend(args);
        self.ta(key, &all)
    }

    /// The message in this language, else in English. One bundle lookup
    /// each: `try_lookup_complete` would negotiate the language again on
    /// every call (microseconds, paid by each of a page's dozens of messages).
    fn find(self, key: &str, args: Option<&HashMap<Cow<'static, str>, FluentValue>>) -> Option<String> {
        LOCALES.lookup_single_language(&langid(self), key, args).ok().or_else(|| {
            (self != Lang::En).then(|| LOCALES.lookup_single_language(&langid(Lang::En), key, args).ok()).flatten()
        })
    }

    fn lookup(self, key: &str, args: Option<&HashMap<Cow<'static, str>, FluentValue>>) -> String {
        match self.find(key, args) {
            Some(text) => text,
            None => {
                if let Ok(mut missing) = MISSING.lock() {
                    if !missing.iter().any(|k| k == key) {
                        missing.push(key.to_string());
                    }
                }
                key.to_string()
            }
        }
    }

    /// A whole number in this language's digits grouping.
    pub fn int(self, n: impl Into<i64>) -> String {
        format::integer(self, n.into())
    }

    /// A decimal number with `decimals` digits.
    pub fn dec(self, x: f64, decimals: usize) -> String {
        format::decimal(self, x, decimals)
    }

    /// A day (`2026-11-24`) as a date of this language.
    pub fn date(self, day: &str) -> String {
        format::date(self, day)
    }

    /// A percentage with `decimals` digits.
    pub fn percent(self, x: f64, decimals: usize) -> String {
        format::percent(self, x, decimals)
    }

    /// A timestamp as a date and time of this language.
    pub fn date_time(self, timestamp: &str) -> String {
        format::date_time(self, timestamp)
    }

    /// "3 days ago" / "il y a 3 jours".
    pub fn ago(self, elapsed: format::Elapsed) -> String {
        use format::Elapsed::*;
        match elapsed {
            JustNow => self.t("time-just-now"),
            Minutes(n) => self.tn("time-minutes-ago", n),
            Hours(n) => self.tn("time-hours-ago", n),
            Days(n) => self.tn("time-days-ago", n),
            Months(n) => self.tn("time-months-ago", n),
            Years(n) => self.tn("time-years-ago", n),
        }
    }
}

/// The language of the page being rendered (English outside a page).
pub fn use_lang() -> Lang {
    leptos::prelude::use_context::<Lang>().unwrap_or_default()
}

/// The language of this page: on the server, negotiated from the request;
/// in the browser, what the server wrote into `<html lang>`.
pub fn page_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>().map(|p| from_headers(&p.headers)).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        leptos::prelude::document()
            .document_element()
            .and_then(|root| root.get_attribute("lang"))
            .and_then(|tag| Lang::from_tag(&tag))
            .unwrap_or_default()
    }
}

/// The language a request asks for, from its `Cookie` and `Accept-Language`.
#[cfg(feature = "ssr")]
pub fn from_headers(headers: &http::HeaderMap) -> Lang {
    let cookies =
        headers.get_all(http::header::COOKIE).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join("; ");
    let accept = headers.get(http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    negotiate((!cookies.is_empty()).then_some(cookies.as_str()), accept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Every `.ftl` file of a language's folder (one per area), by file name.
    fn catalogue_files(lang: &str) -> Vec<(String, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                let text = std::fs::read_to_string(&p).unwrap();
                (name, text)
            })
            .collect();
        files.sort();
        files
    }

    /// The message ids of a catalogue; a syntax error fails the test.
    fn keys(source: &str) -> BTreeSet<String> {
        let resource = fluent_syntax::parser::parse(source).unwrap_or_else(|(_, errors)| panic!("syntax: {errors:?}"));
        resource
            .body
            .iter()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                fluent_syntax::ast::Entry::Junk { content } => panic!("unreadable entry: {content}"),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let en_files = catalogue_files("en");
        let fr_files = catalogue_files("fr");
        let names = |files: &[(String, String)]| files.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(names(&en_files), names(&fr_files), "the same files in both languages");
        assert!(en_files.iter().any(|(n, _)| n == "main.ftl"), "the main catalogue was read");
        let mut seen = BTreeSet::new();
        for ((file, en), (_, fr)) in en_files.iter().zip(&fr_files) {
            let (en, fr) = (keys(en), keys(fr));
            let only_en: Vec<_> = en.difference(&fr).collect();
            let only_fr: Vec<_> = fr.difference(&en).collect();
            assert!(
                only_en.is_empty() && only_fr.is_empty(),
                "{file}: only in en: {only_en:?}; only in fr: {only_fr:?}"
            );
            for key in en {
                assert!(seen.insert(key.clone()), "{file}: {key} is also defined in another file");
            }
        }
        assert!(seen.len() > 50, "the English catalogue was read");
    }

    #[test]
    fn plurals_and_numbers_follow_the_language() {
        let caption = |lang: Lang, channels: i64, packages: i64| {
            lang.tna(
                "channels-caption",
                packages,
                vec![("channels", Arg::Number(channels)), ("nc", Arg::Text(lang.int(channels)))],
            )
        };
        assert_eq!(caption(Lang::En, 1, 1), "1 channel, 1 package");
        assert_eq!(caption(Lang::En, 3, 1234), "3 channels, 1,234 packages");
        assert_eq!(caption(Lang::Fr, 1, 1), "1 canal, 1 paquet");
        assert_eq!(caption(Lang::Fr, 2, 0), "2 canaux, 0 paquet", "French counts 0 as singular");
        assert_eq!(caption(Lang::Fr, 2, 1234), "2 canaux, 1\u{202F}234 paquets");
        assert_eq!(Lang::Fr.ago(format::Elapsed::Days(1)), "il y a 1 jour");
        assert_eq!(Lang::En.ago(format::Elapsed::Hours(2)), "2 hours ago");
        assert!(!Lang::Fr.ta("search-no-match", &[("q", "x".into())]).contains('\u{2068}'), "no isolation marks");
        assert_eq!(Lang::En.percent(87.5, 1), "87.5%");
        assert_eq!(Lang::Fr.percent(87.5, 1), "87,5\u{202F}%");
        assert_eq!(Lang::En.date("2026-11-23"), "23 Nov 2026");
        assert_eq!(Lang::Fr.date("2026-11-23"), "23 nov. 2026");
        assert_eq!(Lang::Fr.date("not a date"), "not a date");
    }

    #[test]
    fn a_missing_key_is_shown_raw_and_recorded() {
        assert_eq!(Lang::Fr.t("no-such-key-for-test"), "no-such-key-for-test");
        assert!(missing_keys().contains(&"no-such-key-for-test".to_string()));
    }
}
