//! The HTTP server of `lapor-local`, with the limits a public server needs: a slow or greedy
//! client cannot hold it for everyone. A request's first byte and then its headers must arrive
//! within a time (also the wait for the next request on a kept-alive connection), its body
//! within another, and only so many connections are served at once (the others wait in the
//! listen queue rather than exhausting the process). On Lambda, API Gateway does all of this in
//! front of the functions.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use lapor_setup::ConnectionLimits;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt as _;
use tower_http::timeout::RequestBodyTimeoutLayer;
use tracing::Instrument as _;

/// How long a failed accept (out of file descriptors, say) waits before the next.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Serves `router` on `listener` within `limits` until `shutdown` completes, then lets the
/// connections in flight finish their requests.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = router.layer(RequestBodyTimeoutLayer::new(limits.body_timeout));
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        // Above the router's own limit (lapor_http::request_head), which answers a problem;
        // past hyper's, hyper answers with an empty body.
        .max_headers(1024);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(limits.header_timeout)
        .keep_alive_timeout(limits.header_timeout);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = {
            let router = router.clone();
            hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
                let mut request = request.map(axum::body::Body::new);
                request.extensions_mut().insert(ConnectInfo(peer));
                request
                    .extensions_mut()
                    .insert(lapor_http::client::Peer(peer.ip()));
                router.clone().oneshot(request)
            })
        };
        let (builder, watcher) = (builder.clone(), graceful.watcher());
        let first_byte = limits.header_timeout;
        tokio::spawn(
            async move {
                // hyper's header timer starts with a request's first byte: a client that
                // connects and sends nothing is cut here.
                // (`peek` waits for a byte that is there; readiness alone may be spurious.)
                let mut first = [0u8; 1];
                match tokio::time::timeout(first_byte, stream.peek(&mut first)).await {
                    Ok(Ok(_)) => {}
                    Ok(Err(_)) | Err(_) => return,
                }
                let connection = builder
                    .serve_connection_with_upgrades(TokioIo::new(stream), service)
                    .into_owned();
                if let Err(error) = watcher.watch(connection).await {
                    // A client that went away or was cut by a timeout: routine.
                    tracing::debug!(%error, %peer, "connection ended");
                }
                drop(permit);
            }
            .in_current_span(),
        );
    }
    graceful.shutdown().await;
    Ok(())
}
