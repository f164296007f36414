//! Sessions of the web pages: a random id in a cookie, the record on the server, so that
//! signing out, a deactivation or a new password end a session at once.

use lapor_domain::{Actor, AgencyPath, Person, UserId};
use time::Duration;

use crate::accounts::SignedIn;
use crate::secrets::{hex, sha256_hex};
use crate::{App, AppError, Session, SessionSubject};

/// How long a session lasts at most: a working day, as a token does.
pub const SESSION_TTL: Duration = Duration::hours(8);

/// The bytes of randomness in a session id.
const SESSION_ID_BYTES: usize = 32;

/// What the session of a signed-in account stands for.
pub fn account_subject(signed_in: &SignedIn) -> SessionSubject {
    SessionSubject::Account {
        user_id: signed_in.user.id.clone(),
        role: signed_in.user.role,
        agency_path: signed_in
            .agency_path
            .as_ref()
            .map(|p| p.ids().to_vec())
            .unwrap_or_default(),
    }
}

/// The actor a session subject stands for, as it signed in (before [`App::current`] checks its
/// account as it is now); `None` for a staff role without an agency place.
fn actor_of(subject: &SessionSubject) -> Option<Actor> {
    match subject {
        SessionSubject::Report { report_id } => Some(Actor::ReportHolder(report_id.clone())),
        SessionSubject::Account {
            user_id,
            role,
            agency_path,
        } => Actor::signed_in(
            person(user_id),
            *role,
            AgencyPath::from_ids(agency_path.clone()),
        ),
    }
}

/// A person known by id only: [`App::current`] fills in the account's name.
fn person(id: &UserId) -> Person {
    Person {
        id: id.clone(),
        name: String::new(),
    }
}

impl App {
    /// Starts a session for `subject`: the id to put in the browser's cookie (never stored).
    pub async fn start_session(&self, subject: SessionSubject) -> Result<String, AppError> {
        let id = hex(&self.ids.secret(SESSION_ID_BYTES));
        let now = self.clock.now();
        let session = Session {
            id_hash: sha256_hex(id.as_bytes()),
            subject,
            created_at: now,
            expires_at: now + SESSION_TTL,
        };
        self.sessions.create_session(&session).await?;
        Ok(id)
    }

    /// The actor a session id stands for now, or `None` when the session is unknown, expired,
    /// or its account was deactivated, changed or signed out everywhere since it began (the same
    /// rule as for a token: [`App::current`]).
    pub async fn session_actor(&self, id: &str) -> Result<Option<Actor>, AppError> {
        let Some(session) = self.sessions.session(&sha256_hex(id.as_bytes())).await? else {
            return Ok(None);
        };
        if session.expires_at <= self.clock.now() {
            return Ok(None);
        }
        let Some(actor) = actor_of(&session.subject) else {
            return Ok(None);
        };
        match self.current(actor, session.created_at).await {
            Ok(actor) => Ok(Some(actor)),
            Err(AppError::Unauthenticated) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Ends a session (`POST /keluar`); an unknown id is no error.
    pub async fn end_session(&self, id: &str) -> Result<(), AppError> {
        self.sessions
            .delete_session(&sha256_hex(id.as_bytes()))
            .await?;
        Ok(())
    }
}
