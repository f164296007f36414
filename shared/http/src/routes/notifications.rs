//! `/v1/notifications`: what the caller was told, newest first, and read marks.

use axum::Json;
use axum::extract::State;
use lapor_app::attachments::caller_key;
use lapor_app::notifications::NotificationView;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Caller;
use crate::cursor;
use crate::input::{Fields, JsonBody, QueryMap};
use crate::openapi::{BodyErrors, ListErrors, PageParams, ServerErrors, TokenRequired};
use crate::problem::Problem;

/// The most ids one read-mark request takes.
const MAX_MARKED: usize = 100;

/// A page of notifications.
#[derive(Serialize, ToSchema)]
pub struct NotificationPage {
    /// Newest first.
    items: Vec<NotificationView>,
    /// The cursor of the next page; `null` on the last.
    #[schema(required = true)]
    next_cursor: Option<String>,
}

/// `POST /v1/notifications/read`.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct MarkReadBody {
    /// The notifications to mark read, 1 to 100 (ids the caller was not sent change nothing).
    #[schema(schema_with = notification_ids)]
    ids: Vec<String>,
}

fn notification_ids() -> utoipa::openapi::schema::Array {
    let mut ids = crate::openapi::ulid_list(MAX_MARKED, "A notification's id.");
    ids.min_items = Some(1);
    ids
}

/// How many were marked.
#[derive(Serialize, ToSchema)]
pub struct Marked {
    /// The ids sent.
    marked: usize,
}

/// The caller's notifications
///
/// What the caller was told, newest first, each with whether they marked it read: for a user
/// (their own; their agency's; for admins, their admins'), or for a report's access token (its
/// reporter's).
#[utoipa::path(
    get,
    path = "/v1/notifications",
    operation_id = "listNotifications",
    tag = "Notifications",
    params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of notifications.", body = NotificationPage),
        (status = 401, response = TokenRequired),
        ListErrors,
        ServerErrors,
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Caller(actor): Caller,
    query: QueryMap,
) -> Result<Json<NotificationPage>, Problem> {
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
    Ok(Json(NotificationPage {
        items,
        next_cursor: next.map(|id| cursor::encode(&state.tokens, &list, &id)),
    }))
}

/// Mark notifications read
///
/// For the caller alone (a user's token, or a report's access token).
#[utoipa::path(
    post,
    path = "/v1/notifications/read",
    operation_id = "markNotificationsRead",
    tag = "Notifications",
    request_body(content = MarkReadBody, example = json!({"ids": ["01JDF5M00000000000000002R1"]})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Marked.", body = Marked),
        (status = 401, response = TokenRequired),
        BodyErrors,
        ServerErrors,
    )
)]
pub async fn mark_read(
    State(state): State<AppState>,
    Caller(actor): Caller,
    body: JsonBody,
) -> Result<Json<Marked>, Problem> {
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
    Ok(Json(Marked { marked: ids.len() }))
}
