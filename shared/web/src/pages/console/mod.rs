//! The staff console (`/admin/...`, UI.md "The staff console"): the work list and the report
//! as staff see it, for national admins, agency admins and liaison officers. Every page is
//! rendered from the same use cases and visibility rules as the JSON API.

pub mod accounts;
pub mod actions;
pub mod agencies;
pub mod notifications;
pub mod profile;
pub mod replies;
pub mod report;
pub mod worklist;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use lapor_app::App;
use lapor_domain::Actor;
use lapor_domain::worklist::Scope;
use lapor_http::AppState;

use super::{Failure, Layout, see_other};
use crate::session::Visitor;

/// A staff member at the console.
pub struct Staff {
    pub visitor: Visitor,
    /// Whose work list: the country, or their agency.
    pub scope: Scope,
}

/// Why someone is not at the console.
pub enum NotStaff {
    /// Not signed in: sent to sign in.
    SignIn,
    /// A citizen or a report's reporter: there is no console for them, as the API answers
    /// them 403.
    Refused(Failure),
}

impl IntoResponse for NotStaff {
    fn into_response(self) -> Response {
        match self {
            Self::SignIn => see_other("/masuk"),
            Self::Refused(failure) => failure.into_response(),
        }
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = NotStaff;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, NotStaff> {
        let visitor = Visitor::from_request_parts(parts, state)
            .await
            .map_err(NotStaff::Refused)?;
        match &visitor.actor {
            Actor::Public => Err(NotStaff::SignIn),
            actor if actor.is_staff() => match App::scope_of(actor) {
                Ok(scope) => Ok(Self { scope, visitor }),
                Err(e) => Err(NotStaff::Refused(e.into())),
            },
            _ => Err(NotStaff::Refused(Failure::NotFound)),
        }
    }
}

impl Staff {
    /// The layout of a console page: the header counts the unread notifications among the
    /// latest [`notifications::SHOWN`].
    pub async fn layout(
        &self,
        state: &AppState,
        title: impl Into<String>,
    ) -> Result<Layout, Failure> {
        let mut layout = Layout::new(title, &self.visitor);
        let (latest, _) = state
            .app
            .notifications_for(&self.visitor.actor, None, notifications::SHOWN)
            .await?;
        layout.unread = Some(latest.iter().filter(|n| !n.read).count());
        Ok(layout)
    }

    /// Their name, for the greeting.
    pub fn name(&self) -> &str {
        self.visitor.name().unwrap_or_default()
    }

    /// The name their work list goes by, "Kelola Laporan – {this}": their agency's, or the
    /// country's for national admins.
    pub async fn place(&self, state: &AppState) -> Result<String, Failure> {
        match &self.scope {
            Scope::National => Ok("Nasional".to_string()),
            Scope::Agency(id) => Ok(state.app.agency(id).await?.name.as_str().to_string()),
        }
    }
}
