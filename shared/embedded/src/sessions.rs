//! The web pages' sessions: one row each, by the hash of its id; expired ones are purged as new
//! ones begin.

use async_trait::async_trait;
use lapor_app::{Session, SessionStore, StoreError};

use crate::Embedded;
use crate::codec::{from_doc, nanos, to_doc};
use crate::sql::{execute, text};

#[async_trait]
impl SessionStore for Embedded {
    async fn create_session(&self, session: &Session) -> Result<(), StoreError> {
        let doc = to_doc(session)?;
        let id_hash = session.id_hash.clone();
        let expires = nanos(session.expires_at);
        let now = nanos(session.created_at);
        self.db
            .write(move |tx| {
                execute(tx, "DELETE FROM sessions WHERE expires_at <= ?1", [now])?;
                execute(
                    tx,
                    "INSERT INTO sessions (id_hash, doc, expires_at) VALUES (?1, ?2, ?3)",
                    rusqlite::params![id_hash, doc, expires],
                )?;
                Ok(())
            })
            .await
    }

    async fn session(&self, id_hash: &str) -> Result<Option<Session>, StoreError> {
        let id_hash = id_hash.to_string();
        let doc = self
            .db
            .read(move |conn| {
                text(
                    conn,
                    "SELECT doc FROM sessions WHERE id_hash = ?1",
                    [id_hash],
                )
            })
            .await?;
        doc.as_deref().map(from_doc).transpose()
    }

    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        let id_hash = id_hash.to_string();
        self.db
            .write(move |tx| {
                execute(tx, "DELETE FROM sessions WHERE id_hash = ?1", [id_hash])?;
                Ok(())
            })
            .await
    }
}
