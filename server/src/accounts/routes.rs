//! Every state-changing route of the whole router, in one list: the
//! authorisation test walks it (each route × anonymous, user, maintainer,
//! moderator, admin), and another test fails when the router's source
//! registers a POST, PUT, PATCH or DELETE route missing from it.

/// Who may use a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone (same-origin check only): the language switch, the development login.
    Anyone,
    /// A bearer API token of the right scope (machine API; no cookies).
    Token,
    /// A logged-in person, with the session's CSRF token.
    User,
    Moderator,
    Admin,
}

/// (method, path as registered, who may use it).
pub const STATE_CHANGING: &[(&str, &str, Access)] = &[
    ("POST", "/lang", Access::Anyone),
    ("POST", "/api/v1/builds", Access::Token),
    ("POST", "/api/v1/attestations", Access::Token),
    ("POST", "/auth/dev-login", Access::Anyone),
    ("POST", "/auth/logout", Access::User),
    ("POST", "/auth/logout-everywhere", Access::User),
    ("POST", "/account/claims", Access::User),
    ("POST", "/account/claims/{id}/withdraw", Access::User),
    ("POST", "/account/tokens", Access::User),
    ("POST", "/account/tokens/{id}/revoke", Access::User),
    ("POST", "/moderation/claims/{id}", Access::Moderator),
    ("POST", "/admin/users/{id}/role", Access::Admin),
    ("PUT", "/api/v1/sites/{site}", Access::Admin),
    ("PUT", "/api/v1/sites/{site}/machines/{machine}", Access::Admin),
    ("PUT", "/api/v1/sites/{site}/machines/{machine}/partitions/{partition}", Access::Admin),
    ("DELETE", "/api/v1/sites/{site}/machines/{machine}/partitions/{partition}", Access::Admin),
    ("DELETE", "/api/v1/sites/{site}/machines/{machine}", Access::Admin),
    ("DELETE", "/api/v1/sites/{site}", Access::Admin),
    ("POST", "/admin/funding/funders", Access::Moderator),
    ("POST", "/admin/funding/funders/{slug}", Access::Moderator),
    ("POST", "/admin/funding/sponsorships", Access::Moderator),
    ("POST", "/admin/funding/sponsorships/{id}", Access::Moderator),
    ("POST", "/admin/funding/sponsorships/{id}/end", Access::Moderator),
    ("POST", "/admin/funding/import", Access::Moderator),
    ("POST", "/admin/funding/sponsorships/{id}/delete", Access::Moderator),
    ("POST", "/admin/funding/funders/{slug}/delete", Access::Moderator),
];

/// Server functions (`/fn/…`) are POSTs that only read.
pub const READ_ONLY_PREFIX: &str = "/fn/";
