//! Server-side sessions of the web pages.

use async_trait::async_trait;
use lapor_domain::{AgencyId, ReportId, Role, UserId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::StoreError;

/// Who a session stands for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SessionSubject {
    /// A signed-in account, with the role and agency place it had when it signed in (a change
    /// of either ends the session, as it ends a token).
    Account {
        user_id: UserId,
        role: Role,
        /// Its agency's place in the tree, root first; empty for citizens and national admins.
        agency_path: Vec<AgencyId>,
    },
    /// The reporter of one report, after its access code (`/lacak`).
    Report { report_id: ReportId },
}

/// A session: stored by the hash of its id, which only the browser's cookie holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The SHA-256 of the session id, in hex.
    pub id_hash: String,
    pub subject: SessionSubject,
    /// When it began: an account's sign-out, deactivation or new password after this ends it.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it ends whatever happens.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// The sessions of the web pages, by the hash of their id.
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Stores a new session.
    async fn create_session(&self, session: &Session) -> Result<(), StoreError>;
    /// The session of this id hash, if stored and not yet removed (an expired one may still be
    /// returned until the store removes it: the caller checks `expires_at`).
    async fn session(&self, id_hash: &str) -> Result<Option<Session>, StoreError>;
    /// Removes a session (signing out); removing one that is gone is no error.
    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError>;
}
