//! Waking the in-process relay worker (lapor-local) after each report write, so a notification
//! goes out at once. Through a queue (AWS), the use case relays what it wrote itself before
//! answering (`App::after_write`), and a schedule sweeps what failed.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// What happens to the outbox after a write.
#[derive(Clone, Debug)]
pub enum Relay {
    /// Nothing here: the use cases relay (through a queue), or nothing does (a test).
    Off,
    /// Wake the in-process relay worker (lapor-local).
    Wake(Arc<tokio::sync::Notify>),
}

/// Runs the request, then wakes the worker when it succeeded in writing to a report (only
/// those writes fill the outbox).
pub async fn after_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let writes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) && request.uri().path().starts_with("/v1/reports");
    let response = next.run(request).await;
    if writes
        && response.status().is_success()
        && let Relay::Wake(worker) = &state.relay
    {
        worker.notify_one();
    }
    response
}
