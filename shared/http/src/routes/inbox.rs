//! `GET /v1/inbox`: the agency's work list.

use axum::Json;
use axum::extract::State;
use lapor_app::App;
use lapor_app::index::search_words;
use lapor_app::ports::{Cursor, InboxQuery};
use lapor_domain::FieldError;
use lapor_domain::worklist::{InboxBox, Scope};
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::SignedInCaller;
use crate::cursor;
use crate::input::QueryMap;
use crate::problem::Problem;

/// `GET /v1/inbox?box=&q=&overdue=&limit=&cursor=`.
pub async fn inbox(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    query: QueryMap,
) -> Result<Json<Value>, Problem> {
    let scope = App::scope_of(&actor)?;
    let default_box = match scope {
        Scope::National => InboxBox::Verification,
        Scope::Agency(_) => InboxBox::Pending,
    };
    let mut errors = Vec::new();
    let inbox = match query.get("box").map(InboxBox::parse) {
        None => default_box,
        Some(Ok(b)) => b,
        Some(Err(m)) => {
            errors.push(FieldError::new("box", m));
            default_box
        }
    };
    let overdue_only = match query.get("overdue") {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            errors.push(FieldError::new("overdue", "must be true or false"));
            false
        }
    };
    let limit = query.limit()?;
    if !errors.is_empty() {
        return Err(Problem::invalid(errors));
    }
    let words = query.get("q").map(search_words).unwrap_or_default();
    let list = format!("inbox:{scope:?}:{inbox:?}:{overdue_only}:{words:?}");
    let after: Option<Cursor> = query
        .get("cursor")
        .map(|c| cursor::decode(&state.tokens, &list, c))
        .transpose()?;
    let (counts, page) = state
        .app
        .inbox(
            &actor,
            &InboxQuery {
                scope,
                inbox,
                words,
                overdue_only,
                now: state.app.clock.now(),
                limit,
                after,
            },
        )
        .await?;
    Ok(Json(json!({
        "counts": counts,
        "items": page.items,
        "next_cursor": page.next.map(|c| cursor::encode(&state.tokens, &list, &c)),
    })))
}
