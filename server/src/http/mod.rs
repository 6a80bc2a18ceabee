//! The HTTP edge: the axum router that serves the Leptos pages, the JSON API,
//! health endpoints and static files, with a tracing span per request.
mod account;
mod api;
mod archival;
mod auth;
mod builds;
mod criticality;
mod funding;
mod funding_admin;
mod health;
mod lang;
pub mod limits;
mod maintainers;
mod matrix;
mod openapi;
pub mod page_cache;
mod rate_limit;
mod search;
pub mod search_version;
mod security;
mod sites_admin;
mod sites_admin_body;

use std::sync::Arc;

use axum::{
    extract::FromRef,
    http::{header, HeaderValue, Request},
    Router,
};
use leptos::{config::LeptosOptions, prelude::provide_context};
use leptos_axum::{generate_route_list, LeptosRoutes};
use sqlx::PgPool;
use tower_http::{
    compression::{CompressionLayer, CompressionLevel},
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use tracing::Level;

use crate::{
    catalog::generation::CatalogGeneration,
    config::Config,
    search::{service::SearchService, SearchIndex},
};

/// What every handler and server function may use: one shared allocation,
/// so the copy each request's handler gets is one reference count (the
/// fields' own counts were most of a small page's bookkeeping).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// The fields of [`AppState`] (reached through it by `Deref`).
pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    pub config: Arc<Config>,
    pub search: SearchService,
    /// The catalog's generation, once `spawn_watch` follows it (pages are
    /// cached per generation only while it is known).
    pub generation: Arc<CatalogGeneration>,
    /// The search index's version, once `spawn_watch` follows it (search
    /// answers are cached per version only while it is known).
    pub search_version: Arc<search_version::SearchVersion>,
    pub page_cache: Arc<page_cache::PageCache>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// `State<T>` for each of the shared fields.
macro_rules! state_parts {
    ($($field:ident: $ty:ty),* $(,)?) => {$(
        impl FromRef<AppState> for $ty {
            fn from_ref(state: &AppState) -> Self {
                state.$field.clone()
            }
        }
    )*};
}
state_parts!(
    leptos_options: LeptosOptions,
    pool: PgPool,
    config: Arc<Config>,
    search: SearchService,
    generation: Arc<CatalogGeneration>,
    search_version: Arc<search_version::SearchVersion>,
    page_cache: Arc<page_cache::PageCache>,
);

impl AppState {
    pub fn new(config: Config, pool: PgPool, index: Arc<dyn SearchIndex>) -> Self {
        let generation = CatalogGeneration::new();
        let search_version = search_version::SearchVersion::new();
        Self(Arc::new(Shared {
            leptos_options: config.leptos_options(),
            search: SearchService::new(index, pool.clone()),
            page_cache: page_cache::PageCache::new(generation.clone(), search_version.clone(), config.page_cache_bytes),
            generation,
            search_version,
            pool,
            config: Arc::new(config),
        }))
    }
}

/// Starts what keeps the caches honest: the catalog generation and the
/// search index version watchers (`serve` calls it; tests that exercise the
/// caches too).
pub fn spawn_watchers(state: &AppState) {
    state.generation.clone().spawn_watch(state.pool.clone(), std::time::Duration::from_secs(10));
    state.search_version.clone().spawn_watch(state.search.index.clone(), std::time::Duration::from_secs(1));
}

/// The app's routes, listed once per process. Listing them renders the app
/// with resource loading switched off process-wide (a global flag in
/// leptos_server, leptos-rs/leptos#4773): a page rendered meanwhile by
/// another router of the same process (the tests build one per test) had a
/// resource that never loaded and hung until the request time limit.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let request_id = axum::http::HeaderName::from_static("x-request-id");
    let catalog: Arc<dyn app::api::catalog::CatalogPort> =
        Arc::new(crate::catalog::read::PgCatalog { pool: state.pool.clone() });
    let search: Arc<dyn app::api::search::SearchPort> = Arc::new(state.search.clone());
    let matrix: Arc<dyn app::api::matrix::MatrixPort> =
        Arc::new(crate::platforms::read::PgMatrix { pool: state.pool.clone() });
    let builds: Arc<dyn app::api::builds::BuildsPort> =
        Arc::new(crate::builds::read::PgBuilds { pool: state.pool.clone() });
    let archival: Arc<dyn app::api::archival::ArchivalPort> =
        Arc::new(crate::archival::read::PgArchival { pool: state.pool.clone(), classes: state.config.host_classes() });
    let accounts: Arc<dyn app::api::accounts::AccountsPort> =
        Arc::new(crate::accounts::port::PgAccounts { pool: state.pool.clone(), config: state.config.clone() });
    let maintainers: Arc<dyn app::api::maintainers::MaintainersPort> =
        Arc::new(maintainers::PgMaintainers { pool: state.pool.clone() });
    let criticality: Arc<dyn app::api::criticality::CriticalityPort> =
        Arc::new(criticality::PgCriticality { pool: state.pool.clone() });
    let funding: Arc<dyn app::api::funding::FundingPort> = Arc::new(funding::PgFunding { pool: state.pool.clone() });
    // The bundle from a file service of our own: it answers conditional
    // requests (304), which the Leptos fallback does not. Its file names carry
    // no content hash, so browsers must revalidate it rather than keep one
    // that no longer matches the server after an upgrade.
    let options = &state.leptos_options;
    let pkg_dir = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    let bundle = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .service(ServeDir::new(pkg_dir).precompressed_br().precompressed_gzip());
    let router = Router::new()
        .nest_service(&format!("/{}", options.site_pkg_dir), bundle)
        .merge(health::routes())
        .merge(api::routes())
        .merge(builds::routes())
        .merge(matrix::routes())
        .merge(sites_admin::routes())
        .merge(archival::routes())
        .merge(maintainers::routes())
        .merge(criticality::routes())
        .merge(funding::routes())
        .merge(funding_admin::routes())
        .merge(search::routes())
        .merge(lang::routes())
        .merge(auth::routes())
        .merge(account::routes())
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(catalog.clone());
                provide_context(search.clone());
                provide_context(builds.clone());
                provide_context(matrix.clone());
                provide_context(archival.clone());
                provide_context(accounts.clone());
                provide_context(maintainers.clone());
                provide_context(criticality.clone());
                provide_context(funding.clone());
            },
            {
                let options = state.leptos_options.clone();
                move || app::shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(app::shell))
        .layer(axum::middleware::from_fn_with_state(state.page_cache.clone(), page_cache::serve))
        .layer(axum::middleware::from_fn(lang::vary))
        // Sessions (accounts): the logged-in person of a request, then the
        // session store around it, and the CSRF origin check outside both.
        .layer(axum::middleware::from_fn_with_state(state.pool.clone(), crate::accounts::session::resolve))
        .layer(crate::accounts::session::layer(
            state.pool.clone(),
            state.config.public_url.as_deref(),
            state.config.accounts.session_hours,
        ))
        .layer(axum::middleware::from_fn_with_state(state.config.clone(), crate::accounts::csrf::layer));
    let router = limits::with_limits(
        router,
        std::time::Duration::from_secs(state.config.request_timeout_secs),
        state.config.request_body_max_bytes,
    );
    // Inside the trace and request-id layers, so a refused request is logged too.
    let router = rate_limit::with_limit(router, &state.config)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<_>| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        // Pages, JSON and the wasm bundle compressed for clients that accept it
        // (fastest level: the bundle is compressed per request).
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid));
    security::with_headers(router).with_state(state)
}

/// Serves `router` on `listener` until Ctrl-C / SIGTERM.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    // The peer address is what the rate limit keys on.
    axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
