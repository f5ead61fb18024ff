//! Decides the client's address once per request, for throttling and logs.

use app::state::ClientAddress;
use axum::{
    extract::{ConnectInfo, Request, State},
    http::HeaderMap,
    middleware::Next,
    response::Response,
};
use std::net::SocketAddr;

/// The left-most `X-Forwarded-For` entry when the proxy is trusted, else the peer address.
pub fn decide(headers: &HeaderMap, peer: Option<SocketAddr>, trust_proxy: bool) -> String {
    if trust_proxy {
        let forwarded = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty());
        if let Some(addr) = forwarded {
            return addr.to_owned();
        }
    }
    peer.map(|p| p.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

pub async fn insert(State(trust_proxy): State<bool>, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let address = decide(request.headers(), peer, trust_proxy);
    request.extensions_mut().insert(ClientAddress(address));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn forwarded_for_only_when_trusted() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("203.0.113.7, 10.0.0.1"),
        );
        let peer = Some(SocketAddr::from(([127, 0, 0, 1], 5000)));
        assert_eq!(decide(&h, peer, true), "203.0.113.7");
        assert_eq!(decide(&h, peer, false), "127.0.0.1");
        assert_eq!(decide(&HeaderMap::new(), None, true), "unknown");
    }
}
