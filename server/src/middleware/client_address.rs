//! Decides the client's address once per request, for throttling and logs.
//!
//! Behind proxies the address comes from `X-Forwarded-For`, read from the right: each proxy
//! appends the address it received the request from, so only the entries the trusted proxies
//! wrote can be believed. The left-most entry is whatever the client chose to send (a random
//! value per request once bypassed every per-address limit).

use app::state::ClientAddress;
use axum::{
    extract::{ConnectInfo, Request, State},
    http::HeaderMap,
    middleware::Next,
    response::Response,
};
use ipnet::IpNet;
use std::{
    net::{IpAddr, SocketAddr},
    sync::Arc,
};

/// Which proxies in front of the server are believed (`CIT_TRUSTED_PROXIES`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TrustedProxies {
    /// None: the peer address is the client (the server faces the internet).
    #[default]
    None,
    /// This many proxies in a row, the last of them the peer (a cloud load balancer: 1).
    Count(usize),
    /// Proxies known by address: every hop in these networks is skipped.
    Networks(Vec<IpNet>),
}

impl TrustedProxies {
    /// `0`, a count (`1`, `2`), or a comma-separated list of addresses and CIDR networks.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Self::None);
        }
        if let Ok(count) = text.parse::<usize>() {
            return Ok(if count == 0 {
                Self::None
            } else {
                Self::Count(count)
            });
        }
        let networks = text
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("`{s}` is neither a count, an address nor a CIDR network"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self::Networks(networks))
    }

    fn trusts(&self, hop: &str) -> bool {
        match self {
            Self::Networks(nets) => hop
                .parse::<IpAddr>()
                .is_ok_and(|ip| nets.iter().any(|n| n.contains(&ip))),
            Self::None | Self::Count(_) => false,
        }
    }
}

/// The client address: the right-most hop that no trusted proxy accounts for.
///
/// The hops are the `X-Forwarded-For` entries followed by the peer. With a count, that many
/// hops from the right are proxies; with networks, hops inside them are. A chain shorter than
/// the proxies it should have passed (a request that reached the server directly) yields its
/// left-most hop, which is then a hop no client could forge more than the peer.
pub fn decide(headers: &HeaderMap, peer: Option<SocketAddr>, proxies: &TrustedProxies) -> String {
    let peer = peer.map(|p| p.ip().to_string());
    let mut hops: Vec<String> = Vec::new();
    if *proxies != TrustedProxies::None {
        for value in headers.get_all("x-forwarded-for") {
            let Ok(value) = value.to_str() else { continue };
            hops.extend(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned),
            );
        }
    }
    hops.extend(peer);
    let chosen = match proxies {
        TrustedProxies::None => hops.last(),
        TrustedProxies::Count(n) => hops.iter().rev().nth(*n).or(hops.first()),
        TrustedProxies::Networks(_) => hops
            .iter()
            .rev()
            .find(|hop| !proxies.trusts(hop))
            .or(hops.first()),
    };
    chosen.cloned().unwrap_or_else(|| "unknown".to_owned())
}

pub async fn insert(
    State(proxies): State<Arc<TrustedProxies>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let address = decide(request.headers(), peer, &proxies);
    request.extensions_mut().insert(ClientAddress(address));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn forwarded(value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static(value));
        h
    }

    fn peer(a: [u8; 4]) -> Option<SocketAddr> {
        Some(SocketAddr::from((a, 5000)))
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client() {
        let h = forwarded("203.0.113.7, 10.0.0.1");
        assert_eq!(
            decide(&h, peer([127, 0, 0, 1]), &TrustedProxies::None),
            "127.0.0.1"
        );
        assert_eq!(
            decide(&HeaderMap::new(), None, &TrustedProxies::None),
            "unknown"
        );
    }

    #[test]
    fn one_proxy_believes_only_the_entry_it_appended() {
        // The client sent "1.2.3.4" itself; the load balancer (peer 10.0.0.1) appended the
        // address it saw, 198.51.100.9.
        let h = forwarded("1.2.3.4, 198.51.100.9");
        let one = TrustedProxies::Count(1);
        assert_eq!(decide(&h, peer([10, 0, 0, 1]), &one), "198.51.100.9");
        // Whatever the client puts on the left changes nothing.
        let h = forwarded("random-9f2c, 198.51.100.9");
        assert_eq!(decide(&h, peer([10, 0, 0, 1]), &one), "198.51.100.9");
    }

    #[test]
    fn two_proxies_skip_two_hops() {
        let h = forwarded("1.2.3.4, 198.51.100.9, 10.0.0.2");
        assert_eq!(
            decide(&h, peer([10, 0, 0, 1]), &TrustedProxies::Count(2)),
            "198.51.100.9"
        );
    }

    #[test]
    fn a_request_that_skipped_the_proxy_is_its_peer() {
        assert_eq!(
            decide(
                &HeaderMap::new(),
                peer([192, 0, 2, 5]),
                &TrustedProxies::Count(1)
            ),
            "192.0.2.5"
        );
    }

    #[test]
    fn networks_skip_every_hop_inside_them() {
        let nets = TrustedProxies::parse("10.0.0.0/8, 172.16.0.5").unwrap();
        let h = forwarded("1.2.3.4, 198.51.100.9, 172.16.0.5, 10.1.2.3");
        assert_eq!(decide(&h, peer([10, 0, 0, 1]), &nets), "198.51.100.9");
        // A peer outside the networks is not a proxy: its header is not read.
        assert_eq!(decide(&h, peer([192, 0, 2, 5]), &nets), "192.0.2.5");
    }

    #[test]
    fn parses_counts_lists_and_refuses_nonsense() {
        assert_eq!(TrustedProxies::parse("0"), Ok(TrustedProxies::None));
        assert_eq!(TrustedProxies::parse(""), Ok(TrustedProxies::None));
        assert_eq!(TrustedProxies::parse("2"), Ok(TrustedProxies::Count(2)));
        assert!(matches!(
            TrustedProxies::parse("10.0.0.0/8,::1"),
            Ok(TrustedProxies::Networks(n)) if n.len() == 2
        ));
        assert!(TrustedProxies::parse("lb.internal").is_err());
    }
}
