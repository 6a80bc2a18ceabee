//! Per-client rate limiting (tower_governor): a burst of
//! `rate_limit_burst` requests, then `rate_limit_per_second` sustained; over
//! it the answer is 429 with `Retry-After`. The client is the peer address,
//! or the address a trusted reverse proxy forwarded (`trust_forwarded_for`).
use std::{net::IpAddr, sync::Arc, time::Duration};

use axum::{http::Request, Router};
use tower_governor::{
    governor::{GovernorConfig, GovernorConfigBuilder},
    key_extractor::{KeyExtractor, PeerIpKeyExtractor, SmartIpKeyExtractor},
    GovernorError, GovernorLayer,
};

use crate::config::Config;

#[derive(Clone, Copy)]
pub struct ClientIp {
    trust_forwarded_for: bool,
}

impl KeyExtractor for ClientIp {
    type Key = IpAddr;

    fn extract<T>(&self, req: &Request<T>) -> Result<IpAddr, GovernorError> {
        let found =
            if self.trust_forwarded_for { SmartIpKeyExtractor.extract(req) } else { PeerIpKeyExtractor.extract(req) };
        // Without a peer address (a request handed to the router in process)
        // every such request shares one bucket.
        Ok(found.unwrap_or(IpAddr::from([0, 0, 0, 0])))
    }
}

/// `router` with the limit applied, or unchanged when it is off.
pub fn with_limit<S: Clone + Send + Sync + 'static>(router: Router<S>, config: &Config) -> Router<S> {
    if config.rate_limit_per_second == 0 {
        return router;
    }
    let limits: Arc<GovernorConfig<ClientIp, _>> = Arc::new(
        GovernorConfigBuilder::default()
            .key_extractor(ClientIp { trust_forwarded_for: config.trust_forwarded_for })
            .period(Duration::from_secs_f64(1.0 / f64::from(config.rate_limit_per_second)))
            .burst_size(config.rate_limit_burst)
            .finish()
            .expect("a non-zero period and burst (checked with the configuration)"),
    );
    // Forget clients that have been quiet, so the table does not grow forever.
    let limiter = limits.limiter().clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(60)).await;
            limiter.retain_recent();
        }
    });
    router.layer(GovernorLayer::new(limits))
}
