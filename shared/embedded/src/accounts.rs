//! User accounts and agencies.

use async_trait::async_trait;
use lapor_app::{AccountStore, AgencyStore, ConflictKind, Login, StoreError, User};
use lapor_domain::{Agency, AgencyId, UserId};
use rusqlite::params;

use crate::Embedded;
use crate::codec::{from_doc, from_docs, to_doc, to_i64};
use crate::sql::{execute, exists, text, texts};

#[async_trait]
impl AccountStore for Embedded {
    async fn create_user(&self, user: &User) -> Result<(), StoreError> {
        let user = user.clone();
        self.db
            .write(move |tx| {
                let email = user.email.as_ref().map(|e| e.as_str());
                let phone = user.phone.as_ref().map(|p| p.as_str());
                let taken = [
                    (
                        "SELECT 1 FROM users WHERE id = ?1",
                        Some(user.id.as_str()),
                        ConflictKind::Duplicate,
                    ),
                    (
                        "SELECT 1 FROM users WHERE email = ?1",
                        email,
                        ConflictKind::Email,
                    ),
                    (
                        "SELECT 1 FROM users WHERE phone = ?1",
                        phone,
                        ConflictKind::Phone,
                    ),
                ];
                for (sql, value, conflict) in taken {
                    if let Some(value) = value
                        && exists(tx, sql, [value])?
                    {
                        return Err(StoreError::Conflict(conflict));
                    }
                }
                let sql = "INSERT INTO users (id, email, phone, doc) VALUES (?1, ?2, ?3, ?4)";
                execute(
                    tx,
                    sql,
                    params![user.id.as_str(), email, phone, to_doc(&user)?],
                )?;
                Ok(())
            })
            .await
    }

    async fn user_by_login(&self, login: &Login) -> Result<Option<User>, StoreError> {
        let (sql, value) = match login {
            Login::Email(email) => ("SELECT doc FROM users WHERE email = ?1", email.as_str()),
            Login::Phone(phone) => ("SELECT doc FROM users WHERE phone = ?1", phone.as_str()),
        };
        let value = value.to_string();
        self.db
            .read(move |conn| text(conn, sql, [value])?.map(|d| from_doc(&d)).transpose())
            .await
    }

    async fn user(&self, id: &UserId) -> Result<Option<User>, StoreError> {
        let id = id.as_str().to_string();
        self.db
            .read(move |conn| {
                text(conn, "SELECT doc FROM users WHERE id = ?1", [id])?
                    .map(|d| from_doc(&d))
                    .transpose()
            })
            .await
    }

    async fn has_users(&self) -> Result<bool, StoreError> {
        self.db
            .read(|conn| exists(conn, "SELECT 1 FROM users LIMIT 1", []))
            .await
    }
}

#[async_trait]
impl AgencyStore for Embedded {
    async fn create_agency(&self, agency: &Agency) -> Result<(), StoreError> {
        let agency = agency.clone();
        self.db
            .write(move |tx| {
                let sql = "INSERT OR IGNORE INTO agencies (id, version, doc) VALUES (?1, ?2, ?3)";
                let values = params![agency.id.as_str(), to_i64(agency.version), to_doc(&agency)?];
                if execute(tx, sql, values)? == 0 {
                    return Err(StoreError::Conflict(ConflictKind::Duplicate));
                }
                Ok(())
            })
            .await
    }

    async fn agency(&self, id: &AgencyId) -> Result<Option<Agency>, StoreError> {
        let id = id.as_str().to_string();
        self.db
            .read(move |conn| {
                text(conn, "SELECT doc FROM agencies WHERE id = ?1", [id])?
                    .map(|d| from_doc(&d))
                    .transpose()
            })
            .await
    }

    async fn list_agencies(
        &self,
        after: Option<&AgencyId>,
        limit: usize,
    ) -> Result<Vec<Agency>, StoreError> {
        let after = after.map_or(String::new(), |a| a.as_str().to_string());
        self.db
            .read(move |conn| {
                let sql = "SELECT doc FROM agencies WHERE id > ?1 ORDER BY id LIMIT ?2";
                from_docs(&texts(conn, sql, params![after, to_i64(limit as u64)])?)
            })
            .await
    }

    async fn update_agency(&self, agency: &Agency) -> Result<(), StoreError> {
        let agency = agency.clone();
        self.db
            .write(move |tx| {
                let sql =
                    "UPDATE agencies SET version = ?2, doc = ?3 WHERE id = ?1 AND version = ?4";
                let values = params![
                    agency.id.as_str(),
                    to_i64(agency.version),
                    to_doc(&agency)?,
                    to_i64(agency.version.saturating_sub(1)),
                ];
                if execute(tx, sql, values)? == 0 {
                    return Err(StoreError::Conflict(ConflictKind::Version));
                }
                Ok(())
            })
            .await
    }
}
