//! Where a request comes from, for throttling guesses per client: the address the platform
//! saw (API Gateway's `sourceIp` on Lambda, the connection's peer in `lapor-local`), or, when
//! that is a proxy the operator trusts (`LAPOR_TRUSTED_PROXIES`), the address that proxy says
//! it served (`X-Forwarded-For`). A client can write anything in `X-Forwarded-For`, so the
//! header is believed only as far as trusted proxies wrote it.

use std::net::IpAddr;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::AppState;

/// The address the platform saw a request come from, put on the request by the server that
/// received it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Peer(pub IpAddr);

/// The client's address; `None` when the platform told none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(Peer(peer)) = parts.extensions.get::<Peer>().copied() else {
            return Ok(Self(None));
        };
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok());
        Ok(Self(Some(client(peer, forwarded, &state.trusted_proxies))))
    }
}

/// The client: the peer, or while the peer is a trusted proxy, the address before it in the
/// `X-Forwarded-For` chain (read from the right, where the nearest proxy appends).
fn client<'a>(
    peer: IpAddr,
    forwarded: impl DoubleEndedIterator<Item = &'a str>,
    trusted: &[IpAddr],
) -> IpAddr {
    let mut client = peer.to_canonical();
    let mut chain = forwarded.rev().flat_map(|value| value.rsplit(','));
    while trusted.contains(&client) {
        match chain.next().and_then(address) {
            Some(before) => client = before,
            None => break,
        }
    }
    client
}

/// An address as proxies write it in `X-Forwarded-For`: `203.0.113.9`, `2001:db8::1`, with a
/// port (`203.0.113.9:443`, `[2001:db8::1]:443`); an IPv4 address mapped into IPv6 is the IPv4
/// one.
fn address(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    let ip = hop
        .parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))?;
    Some(ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(raw: &str) -> IpAddr {
        raw.parse().unwrap()
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let proxy = ip("10.0.0.2");
        let trusted = [proxy];
        // Straight from the client: its own header is ignored.
        assert_eq!(
            client(ip("198.51.100.7"), ["203.0.113.1"].into_iter(), &trusted),
            ip("198.51.100.7")
        );
        // Through the proxy: the address it appended.
        assert_eq!(
            client(proxy, ["203.0.113.9"].into_iter(), &trusted),
            ip("203.0.113.9")
        );
        // A client's forged entries stand before the proxy's, and are not reached.
        let forged = ["1.2.3.4, 203.0.113.9"];
        assert_eq!(
            client(proxy, forged.into_iter(), &trusted),
            ip("203.0.113.9")
        );
        // Several headers are one list, in order.
        assert_eq!(
            client(proxy, ["1.2.3.4", "203.0.113.9"].into_iter(), &trusted),
            ip("203.0.113.9")
        );
        // With ports, and mapped into IPv6.
        assert_eq!(
            client(proxy, ["203.0.113.9:51000"].into_iter(), &trusted),
            ip("203.0.113.9")
        );
        assert_eq!(
            client(proxy, ["[2001:db8::1]:443"].into_iter(), &trusted),
            ip("2001:db8::1")
        );
        assert_eq!(
            client(ip("::ffff:10.0.0.2"), ["203.0.113.9"].into_iter(), &trusted),
            ip("203.0.113.9")
        );
        // A proxy that sent nothing readable is the client as far as anyone can tell.
        assert_eq!(client(proxy, ["nonsense"].into_iter(), &trusted), proxy);
        assert_eq!(client(proxy, std::iter::empty(), &[]), proxy);
    }
}
