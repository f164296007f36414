//! `/v1/notifications`: what the caller was told, newest first, and read marks.

use axum::Json;
use axum::extract::State;
use lapor_app::attachments::caller_key;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::Caller;
use crate::cursor;
use crate::input::{Fields, JsonBody, QueryMap};
use crate::problem::Problem;

/// The most ids one read-mark request takes.
const MAX_MARKED: usize = 100;

/// `GET /v1/notifications`: for a signed-in user, or a report's access token.
pub async fn list(
    State(state): State<AppState>,
    Caller(actor): Caller,
    query: QueryMap,
) -> Result<Json<Value>, Problem> {
    let limit = query.limit()?;
    // The cursor is bound to its reader.
    let list = format!("notifications:{}", caller_key(&actor));
    let before: Option<String> = query
        .get("cursor")
        .map(|c| cursor::decode(&state.tokens, &list, c))
        .transpose()?;
    let (items, next) = state
        .app
        .notifications_for(&actor, before.as_deref(), limit)
        .await?;
    Ok(Json(json!({
        "items": items,
        "next_cursor": next.map(|id| cursor::encode(&state.tokens, &list, &id)),
    })))
}

/// `POST /v1/notifications/read` `{ids: [...]}`: marks the caller's notifications read.
pub async fn mark_read(
    State(state): State<AppState>,
    Caller(actor): Caller,
    body: JsonBody,
) -> Result<Json<Value>, Problem> {
    let mut f = Fields::new(&body.object);
    let ids = f.list("ids", MAX_MARKED, |raw| {
        ulid::Ulid::from_string(raw)
            .map(|_| raw.to_string())
            .map_err(|_| "must be a notification id".to_string())
    });
    if ids.is_empty() && f.is_valid() {
        f.error("ids", "is required");
    }
    let ids = f.finish(Some(ids))?;
    state.app.mark_notifications_read(&actor, &ids).await?;
    Ok(Json(json!({"marked": ids.len()})))
}
