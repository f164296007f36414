//! The route table, in groups: each Lambda function serves one group, `lapor-local` all.
//!
//! Every `/v1` route is one entry of one table (`route_table!`): a handler, at the path and
//! methods of its `#[utoipa::path]`. The router is read from it ([`group`]), and the OpenAPI
//! document ([`crate::openapi`], with utoipa-axum's `routes!`) too, so a route cannot be served
//! without its operation, nor documented without being served. Only [`UNDOCUMENTED`] routes,
//! none under `/v1`, are added to the router alone.

mod accounts;
mod actions;
mod agencies;
mod attachments;
mod categories;
mod codes;
mod inbox;
mod notifications;
mod regions;
mod reports;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::Request;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::routing::{MethodRouter, get};
use utoipa::openapi::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::{PathItemExt, routes};

use crate::AppState;
use crate::openapi;
use crate::problem::Problem;

pub(crate) use attachments::{misdirected, refusal as blob_refusal};
// The body readers that need no store, for the fuzz targets (tests/fuzz).
pub use accounts::{read_my_patch, read_registration, read_staff_account};
pub use attachments::read_upload;
pub use reports::{SubmissionFields, read_submission_fields, read_submission_object};

/// A group of routes deployed together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteGroup {
    /// Submitting reports and opening them with an access code.
    Submission,
    Verification,
    /// Dispositions, forwards, copies, "not our authority" requests and their decisions.
    Disposition,
    /// Follow-ups, comments, replies, close, reopen, rating and completion.
    FollowUp,
    /// Reading: reports, the feed, the work list, agencies, the caller, notifications,
    /// attachment downloads, and the OpenAPI document.
    Queries,
    /// Sign-up, sign-in, staff accounts, agency writes and notification read marks.
    Accounts,
    /// The upload and download URLs of blobs kept in a folder (`lapor-local`; on AWS, S3
    /// serves them).
    Blobs,
}

impl RouteGroup {
    /// Every group.
    pub const ALL: [RouteGroup; 7] = [
        Self::Submission,
        Self::Verification,
        Self::Disposition,
        Self::FollowUp,
        Self::Queries,
        Self::Accounts,
        Self::Blobs,
    ];

    /// The Lambda function (binary, and folder of `events/`) that serves the group on AWS;
    /// `None` for the blobs, which only `lapor-local` serves.
    pub fn function(self) -> Option<&'static str> {
        match self {
            Self::Submission => Some("submission"),
            Self::Verification => Some("verification"),
            Self::Disposition => Some("disposition"),
            Self::FollowUp => Some("follow-up"),
            Self::Queries => Some("queries"),
            Self::Accounts => Some("accounts"),
            Self::Blobs => None,
        }
    }
}

/// The health check: for load balancers and probes, not a client's concern.
pub const HEALTH: &str = "/health";

/// The routes outside the document, by group, method and path. None may be under `/v1`.
pub const UNDOCUMENTED: [(RouteGroup, Method, &str); 1] =
    [(RouteGroup::Queries, Method::GET, HEALTH)];

/// The route table: each group's handlers, each at the path and methods of its
/// `#[utoipa::path]`. `$read` is [`serve`] or [`document`], so the router and the document are
/// made from this one list.
macro_rules! route_table {
    ($read:ident, $group:expr) => {
        match $group {
            RouteGroup::Submission => $read!(reports::submit, reports::access, attachments::create),
            RouteGroup::Verification => $read!(actions::verification),
            RouteGroup::Disposition => $read!(
                actions::dispose,
                actions::forward,
                actions::copy,
                actions::request_not_authority,
                actions::decide_not_authority,
            ),
            RouteGroup::FollowUp => $read!(
                actions::follow_up,
                actions::comment,
                actions::reply,
                actions::close,
                actions::reopen,
                actions::rate,
                reports::complete,
            ),
            RouteGroup::Queries => $read!(
                reports::feed,
                reports::get_report,
                inbox::inbox,
                agencies::list,
                agencies::get_agency,
                categories::list,
                regions::provinces,
                regions::region,
                attachments::download,
                notifications::list,
                accounts::me,
                accounts::list_users,
                openapi::openapi_json,
            ),
            RouteGroup::Accounts => $read!(
                accounts::register,
                accounts::login,
                codes::confirmation,
                codes::password_reset,
                accounts::create_user,
                accounts::update_user,
                accounts::update_me,
                agencies::create,
                agencies::patch,
                categories::create,
                categories::patch,
                notifications::mark_read,
            ),
            RouteGroup::Blobs => $read!(attachments::put_blob, attachments::get_blob),
        }
    };
}

/// Reads the table into a router: each handler at the path and methods its `#[utoipa::path]`
/// names, and nothing more of it, so a function's start builds no document (that would take
/// about a millisecond per group, spent on schemas the function never serves).
macro_rules! serve {
    ($($module:ident::$handler:ident),+ $(,)?) => {{
        let router = Router::new();
        $(
            let router = pastey::paste! {{
                let path = <$module::[<__path_ $handler>] as utoipa::Path>::path();
                let methods = <$module::[<__path_ $handler>] as utoipa::Path>::methods();
                let method_router = methods.iter().fold(MethodRouter::new(), |r, method| {
                    r.on(method.to_method_filter(), $module::$handler)
                });
                router.route(&path, method_router)
            }};
        )+
        router
    }};
}

/// Reads the table into the document: utoipa-axum's `routes!` registers each handler with its
/// operation, and the schemas it names.
macro_rules! document {
    ($($module:ident::$handler:ident),+ $(,)?) => {
        OpenApiRouter::<AppState>::default()
            $(.routes(routes!($module::$handler)))+
            .into_openapi()
    };
}

/// The part of the document one group makes: its operations and the schemas they name.
pub fn documented(group: RouteGroup) -> OpenApi {
    route_table!(document, group)
}

/// The routes of one group: those of the table, and its [`UNDOCUMENTED`] ones, each within
/// its body limit.
pub fn group(group: RouteGroup) -> Router<AppState> {
    let router: Router<AppState> = route_table!(serve, group);
    match group {
        RouteGroup::Queries => within_limit(
            router.route(HEALTH, get(health)),
            crate::BODY_LIMIT,
            Problem::too_large,
        ),
        // An attachment's bytes: up to the largest attachment, not the JSON bodies' limit.
        RouteGroup::Blobs => within_limit(
            router,
            attachments::BLOB_BODY_LIMIT,
            Problem::file_too_large,
        ),
        _ => within_limit(router, crate::BODY_LIMIT, Problem::too_large),
    }
}

/// Bodies of at most `limit` bytes. One declared longer (`Content-Length`) is refused at once
/// with `too_large`, before a byte of it is read, so a client cannot hold the connection
/// sending what will be refused; one sent without a length is cut at `limit` as it is read.
fn within_limit(
    router: Router<AppState>,
    limit: usize,
    too_large: fn() -> Problem,
) -> Router<AppState> {
    router
        .route_layer(DefaultBodyLimit::max(limit))
        .route_layer(axum::middleware::from_fn(
            move |request: Request, next: Next| async move {
                let declared = request
                    .headers()
                    .get(header::CONTENT_LENGTH)
                    .and_then(|length| length.to_str().ok())
                    .and_then(|length| length.parse::<u64>().ok());
                if declared.is_some_and(|length| length > limit as u64) {
                    return too_large().into_response();
                }
                next.run(request).await
            },
        ))
}

/// Every (method, path) a group's router serves, paths as axum writes them (`{*key}` for a
/// wildcard): what the tests compare with the document, both ways.
pub fn served(group: RouteGroup) -> Vec<(Method, String)> {
    let mut served = Vec::new();
    for (path, item) in documented(group).paths.paths {
        let methods = [
            (Method::GET, item.get.is_some()),
            (Method::PUT, item.put.is_some()),
            (Method::POST, item.post.is_some()),
            (Method::DELETE, item.delete.is_some()),
            (Method::PATCH, item.patch.is_some()),
            (Method::HEAD, item.head.is_some()),
            (Method::OPTIONS, item.options.is_some()),
            (Method::TRACE, item.trace.is_some()),
        ];
        for (method, _) in methods.into_iter().filter(|(_, is)| *is) {
            served.push((method, path.clone()));
        }
    }
    for (owner, method, path) in UNDOCUMENTED {
        if owner == group {
            served.push((method, path.to_string()));
        }
    }
    served
}

async fn health() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({"status": "ok"}))
}
