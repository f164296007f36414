//! `GET /v1/inbox`: the agency's work list.

use axum::Json;
use axum::extract::State;
use lapor_app::App;
use lapor_app::index::search_words;
use lapor_app::ports::{Cursor, InboxCounts, InboxQuery};
use lapor_app::reports::InboxItem;
use lapor_domain::FieldError;
use lapor_domain::worklist::{InboxBox, Scope};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::auth::SignedInCaller;
use crate::cursor;
use crate::input::QueryMap;
use crate::openapi::{Forbidden, ListErrors, PageParams, ServerErrors, TokenRequired};
use crate::problem::Problem;

/// A page of the work list.
#[derive(Serialize, ToSchema)]
pub struct InboxPage {
    /// How many reports wait in the counted boxes, and how many of those are overdue.
    counts: InboxCounts,
    /// The box's reports, newest change first.
    items: Vec<InboxItem>,
    /// The cursor of the next page; `null` on the last.
    #[schema(required = true)]
    next_cursor: Option<String>,
}

/// The work list's filters.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[expect(
    dead_code,
    reason = "parameters: the handler reads the query string name by name"
)]
pub struct InboxParams {
    /// The box: `verification` by default for national admins, `pending` for agency staff.
    #[param(inline)]
    r#box: Option<InboxBox>,
    /// Words that must all appear in the title or body.
    #[param(example = "jalan")]
    q: Option<String>,
    /// `true`: only overdue reports.
    overdue: Option<bool>,
}

/// The work list
///
/// For agency staff, their agency's reports; for national admins, the whole country's: one box
/// at a time, newest change first, with the counts of the boxes that have deadlines. 403 for a
/// citizen or a report's access token.
#[utoipa::path(
    get,
    path = "/v1/inbox",
    operation_id = "getInbox",
    tag = "Work list",
    params(InboxParams, PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of the box.", body = InboxPage),
        (status = 401, response = TokenRequired),
        (status = 403, response = Forbidden),
        ListErrors,
        ServerErrors,
    )
)]
pub async fn inbox(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    query: QueryMap,
) -> Result<Json<InboxPage>, Problem> {
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
    Ok(Json(InboxPage {
        counts,
        items: page.items,
        next_cursor: page.next.map(|c| cursor::encode(&state.tokens, &list, &c)),
    }))
}
