//! Links whose target comes from channel data: only http(s) and ftp URLs
//! become links (a `javascript:` homepage stays text), and they never pass
//! the referrer or a window handle.
use leptos::prelude::*;

/// `url` when it is safe as a link target.
pub fn safe_url(url: &str) -> Option<&str> {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("ftp://")).then_some(url.trim())
}

#[component]
pub fn ExternalLink(url: String, #[prop(optional, into)] label: Option<String>) -> impl IntoView {
    let text = label.unwrap_or_else(|| url.clone());
    match safe_url(&url) {
        Some(href) => {
            view! { <a href=href.to_string() rel="nofollow noopener noreferrer" class="external">{text}</a> }.into_any()
        }
        None => view! { <span>{text}</span> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_url;

    #[test]
    fn only_web_urls_are_links() {
        assert_eq!(safe_url("https://numpy.org/"), Some("https://numpy.org/"));
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url(" JAVASCRIPT:alert(1)"), None);
        assert_eq!(safe_url("data:text/html,x"), None);
    }
}
