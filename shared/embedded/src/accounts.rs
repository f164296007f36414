//! User accounts and agencies.

use async_trait::async_trait;
use lapor_app::{
    AccountChange, AccountStore, AgencyStore, ConflictKind, Login, StaffList, StoreError, User,
};
use lapor_domain::rating::RatingTally;
use lapor_domain::{Agency, AgencyId, UserId};
use rusqlite::{Transaction, params};

use crate::Embedded;
use crate::codec::{from_doc, from_docs, to_doc, to_i64};
use crate::sql::{execute, exists, text, texts};

/// Refuses a login another account holds.
fn check_logins_free(tx: &Transaction, user: &User) -> Result<(), StoreError> {
    let email = user.email.as_ref().map(|e| e.as_str());
    let phone = user.phone.as_ref().map(|p| p.as_str());
    let taken = [
        (
            "SELECT 1 FROM users WHERE email = ?1 AND id != ?2",
            email,
            ConflictKind::Email,
        ),
        (
            "SELECT 1 FROM users WHERE phone = ?1 AND id != ?2",
            phone,
            ConflictKind::Phone,
        ),
    ];
    for (sql, value, conflict) in taken {
        if let Some(value) = value
            && exists(tx, sql, [value, user.id.as_str()])?
        {
            return Err(StoreError::Conflict(conflict));
        }
    }
    Ok(())
}

/// Puts an account in `lists`, out of every other.
fn list(tx: &Transaction, user: &UserId, lists: &[StaffList]) -> Result<(), StoreError> {
    execute(
        tx,
        "DELETE FROM staff_lists WHERE user_id = ?1",
        [user.as_str()],
    )?;
    for list in lists {
        let sql = "INSERT OR IGNORE INTO staff_lists (list, user_id) VALUES (?1, ?2)";
        execute(tx, sql, [list.key(), user.as_str().to_string()])?;
    }
    Ok(())
}

/// Lists every account as [`StaffList::of`] says, from its role and its agency's path: the
/// migration that made the lists.
pub(crate) fn relist_staff(tx: &Transaction) -> Result<(), StoreError> {
    let users: Vec<User> = from_docs(&texts(tx, "SELECT doc FROM users", [])?)?;
    for user in users {
        let path = match &user.agency_id {
            Some(id) => text(tx, "SELECT doc FROM agencies WHERE id = ?1", [id.as_str()])?
                .map(|doc| from_doc::<Agency>(&doc))
                .transpose()?
                .map(|agency| agency.path),
            None => None,
        };
        list(tx, &user.id, &StaffList::of(user.role, path.as_ref()))?;
    }
    Ok(())
}

#[async_trait]
impl AccountStore for Embedded {
    async fn create_user(&self, user: &User, lists: &[StaffList]) -> Result<(), StoreError> {
        let (user, lists) = (user.clone(), lists.to_vec());
        self.db
            .write(move |tx| {
                if exists(tx, "SELECT 1 FROM users WHERE id = ?1", [user.id.as_str()])? {
                    return Err(StoreError::Conflict(ConflictKind::Duplicate));
                }
                check_logins_free(tx, &user)?;
                let email = user.email.as_ref().map(|e| e.as_str());
                let phone = user.phone.as_ref().map(|p| p.as_str());
                let sql = "INSERT INTO users (id, email, phone, doc) VALUES (?1, ?2, ?3, ?4)";
                execute(
                    tx,
                    sql,
                    params![user.id.as_str(), email, phone, to_doc(&user)?],
                )?;
                list(tx, &user.id, &lists)
            })
            .await
    }

    async fn update_user(&self, change: &AccountChange) -> Result<(), StoreError> {
        let change = change.clone();
        self.db
            .write(move |tx| {
                let user = &change.after;
                let stored: Option<User> = text(
                    tx,
                    "SELECT doc FROM users WHERE id = ?1",
                    [user.id.as_str()],
                )?
                .map(|doc| from_doc(&doc))
                .transpose()?;
                if stored.map(|u| u.version) != Some(change.before.version) {
                    return Err(StoreError::Conflict(ConflictKind::Version));
                }
                check_logins_free(tx, user)?;
                let sql = "UPDATE users SET email = ?2, phone = ?3, doc = ?4 WHERE id = ?1";
                let email = user.email.as_ref().map(|e| e.as_str());
                let phone = user.phone.as_ref().map(|p| p.as_str());
                execute(
                    tx,
                    sql,
                    params![user.id.as_str(), email, phone, to_doc(user)?],
                )?;
                list(tx, &user.id, &change.lists)
            })
            .await
    }

    async fn staff(
        &self,
        list: &StaffList,
        after: Option<&UserId>,
        limit: usize,
    ) -> Result<Vec<User>, StoreError> {
        let list = list.key();
        let after = after.map_or(String::new(), |a| a.as_str().to_string());
        self.db
            .read(move |conn| {
                let sql = "SELECT u.doc FROM staff_lists l JOIN users u ON u.id = l.user_id \
                           WHERE l.list = ?1 AND l.user_id > ?2 ORDER BY l.user_id LIMIT ?3";
                from_docs(&texts(
                    conn,
                    sql,
                    params![list, after, to_i64(limit as u64)],
                )?)
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

    async fn rating(&self, id: &AgencyId) -> Result<RatingTally, StoreError> {
        let id = id.clone();
        self.db
            .read(move |conn| crate::ratings::tally(conn, &id))
            .await
    }
}
