//! The Atom (RFC 4287) writer every feed of the portal uses: CI failures and
//! fixes (`builds::feed`), a maintainer's inbox (`maintainers::feed`).
use chrono::{DateTime, SecondsFormat, Utc};

/// One entry: a stable id, its time, a link and a text summary.
pub struct Entry {
    pub id: String,
    pub title: String,
    pub updated: DateTime<Utc>,
    pub link: String,
    pub summary: String,
}

/// A feed: its id, title, language and entries (newest first); `updated`
/// is the newest entry's time (the Unix epoch without entries).
pub struct Feed {
    pub lang: &'static str,
    pub id: String,
    pub title: String,
    /// The feed's own address (`rel="self"`), when known.
    pub self_link: Option<String>,
    pub entries: Vec<Entry>,
}

/// Text escaped for XML content and attribute values.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// RFC 3339 in UTC, to the second.
pub fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Feed {
    pub fn updated(&self) -> DateTime<Utc> {
        self.entries.iter().map(|e| e.updated).max().unwrap_or(DateTime::UNIX_EPOCH)
    }

    /// The document.
    pub fn write(&self) -> String {
        let mut xml = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\
             <id>{}</id><title>{}</title><updated>{}</updated><author><name>Pacatlas</name></author>",
            self.lang,
            escape(&self.id),
            escape(&self.title),
            stamp(self.updated())
        );
        if let Some(link) = &self.self_link {
            xml.push_str(&format!("<link rel=\"self\" href=\"{}\"/>", escape(link)));
        }
        for e in &self.entries {
            xml.push_str(&format!(
                "<entry><id>{}</id><title>{}</title><updated>{}</updated><link href=\"{}\"/><summary>{}</summary></entry>",
                escape(&e.id),
                escape(&e.title),
                stamp(e.updated),
                escape(&e.link),
                escape(&e.summary)
            ));
        }
        xml.push_str("</feed>\n");
        xml
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_updated_is_the_newest_entry() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let feed = Feed {
            lang: "en",
            id: "urn:x".into(),
            title: "a <b> & \"c\"".into(),
            self_link: None,
            entries: vec![
                Entry {
                    id: "1".into(),
                    title: "t".into(),
                    updated: t("2026-01-01T00:00:00Z"),
                    link: "/a?b&c".into(),
                    summary: "s".into(),
                },
                Entry {
                    id: "2".into(),
                    title: "t".into(),
                    updated: t("2026-02-01T00:00:00Z"),
                    link: "/".into(),
                    summary: "s".into(),
                },
            ],
        };
        let xml = feed.write();
        assert!(xml.contains("<title>a &lt;b&gt; &amp; &quot;c&quot;</title>"), "{xml}");
        assert!(xml.contains("<updated>2026-02-01T00:00:00Z</updated><author>"), "{xml}");
        assert!(xml.contains("href=\"/a?b&amp;c\""), "{xml}");
    }
}
