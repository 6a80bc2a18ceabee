//! Build status badges (shields-style SVG): `build | passing`, `failing`
//! or `unknown`, from the latest build of each system of a package. The
//! text is in the SVG (`role="img"`, `aria-label`, `<title>`), so screen
//! readers read it.
use app::api::builds::BuildView;

/// What a badge says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Passing,
    Failing,
    Unknown,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Passing => "passing",
            Verdict::Failing => "failing",
            Verdict::Unknown => "unknown",
        }
    }

    fn colour(self) -> &'static str {
        match self {
            Verdict::Passing => "#2e7d32",
            Verdict::Failing => "#c62828",
            Verdict::Unknown => "#616161",
        }
    }
}

/// The verdict of the latest build per service, system and target (any
/// version), restricted to `system` when given: failing when one of them
/// failed, passing when all that gave a verdict succeeded.
pub fn verdict(latest: &[BuildView], system: Option<&str>) -> Verdict {
    let mut newest: std::collections::HashMap<(&str, Option<&str>, Option<&str>), &BuildView> = Default::default();
    for b in latest.iter().filter(|b| system.is_none() || b.system.as_deref() == system) {
        let key = (b.service.as_str(), b.system.as_deref(), b.target.as_deref());
        let newer = newest.get(&key).is_none_or(|old| b.finished_at > old.finished_at);
        if newer {
            newest.insert(key, b);
        }
    }
    let verdicts: Vec<bool> =
        newest.values().filter_map(|b| super::Status::parse(&b.status).and_then(super::Status::verdict)).collect();
    if verdicts.is_empty() {
        Verdict::Unknown
    } else if verdicts.iter().all(|v| *v) {
        Verdict::Passing
    } else {
        Verdict::Failing
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

/// Approximate width of `text` in 11px Verdana.
fn width(text: &str) -> usize {
    text.chars().count() * 7 + 10
}

/// The badge `label | verdict`.
pub fn svg(label: &str, verdict: Verdict) -> String {
    shield(label, verdict.as_str(), verdict.colour())
}

/// A shields-style badge `label | message`, the message on `colour` (other
/// badges than builds' use it too).
pub fn shield(label: &str, message: &str, colour: &str) -> String {
    let (lw, mw) = (width(label), width(message));
    let total = lw + mw;
    let (label, title, message) = (escape(label), escape(&format!("{label}: {message}")), escape(message));
    let (lx, mx) = (lw * 5, lw * 10 + mw * 5);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" aria-label="{title}"><title>{title}</title><rect width="{lw}" height="20" fill="#555"/><rect x="{lw}" width="{mw}" height="20" fill="{colour}"/><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="110"><text x="{lx}" y="140" transform="scale(.1)">{label}</text><text x="{mx}" y="140" transform="scale(.1)">{message}</text></g></svg>"##
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(service: &str, system: &str, status: &str, finished: &str) -> BuildView {
        BuildView {
            service: service.into(),
            service_kind: "push".into(),
            id: "1".into(),
            version: None,
            system: Some(system.into()),
            target: None,
            compiler: None,
            status: status.into(),
            weather: None,
            finished_at: Some(finished.into()),
            build_url: None,
            log_url: None,
            demo: false,
        }
    }

    #[test]
    fn the_newest_build_of_each_system_decides() {
        let latest = [
            build("a", "x86_64-linux", "succeeded", "2026-11-02T00:00:00Z"),
            build("a", "x86_64-linux", "failed", "2026-11-01T00:00:00Z"),
            build("a", "aarch64-linux", "timed-out", "2026-11-01T00:00:00Z"),
            build("a", "i686-linux", "cancelled", "2026-11-01T00:00:00Z"),
        ];
        assert_eq!(verdict(&latest, None), Verdict::Failing);
        assert_eq!(verdict(&latest, Some("x86_64-linux")), Verdict::Passing);
        assert_eq!(verdict(&latest, Some("i686-linux")), Verdict::Unknown);
        assert_eq!(verdict(&[], None), Verdict::Unknown);
    }

    #[test]
    fn the_svg_carries_its_text() {
        let svg = svg("build <x86>", Verdict::Failing);
        assert!(svg.starts_with("<svg") && svg.contains(r#"aria-label="build &lt;x86&gt;: failing""#), "{svg}");
        assert!(svg.contains("<title>build &lt;x86&gt;: failing</title>"));
        assert!(!svg.contains("<x86>"));
    }
}
