//! The outbox relay, right after each request that may have written to the outbox, so a
//! notification goes out at once; the worker (lapor-local) or a schedule (AWS) sweeps what a
//! failure left behind.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// How long a request may spend relaying before it answers anyway (the rest waits for the
/// sweep).
const INLINE_BUDGET: Duration = Duration::from_secs(2);
/// Messages relayed inline after one request.
const INLINE_BATCH: usize = 25;

/// What happens to the outbox after a write.
#[derive(Clone, Debug)]
pub enum Relay {
    /// Nothing here: something else relays.
    Off,
    /// Relay before answering (Lambda: a function may be frozen as soon as it answered, so
    /// work after the answer might never run).
    Inline,
    /// Wake the in-process relay worker (lapor-local).
    Wake(Arc<tokio::sync::Notify>),
}

/// Runs the request, then the relay when it succeeded in writing to a report (only those
/// writes fill the outbox; a sign-in does not pay for a look at it).
pub async fn after_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let writes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) && request.uri().path().starts_with("/v1/reports");
    let response = next.run(request).await;
    if writes && response.status().is_success() {
        match &state.relay {
            Relay::Off => {}
            Relay::Wake(worker) => worker.notify_one(),
            Relay::Inline => {
                let pass =
                    tokio::time::timeout(INLINE_BUDGET, state.app.relay_outbox(INLINE_BATCH));
                match pass.await {
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => tracing::warn!(error = %e, "relay failed; the sweep retries"),
                    Err(_) => tracing::warn!("relay too slow; the sweep finishes it"),
                }
            }
        }
    }
    response
}
