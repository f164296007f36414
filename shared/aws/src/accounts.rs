//! Users and agencies. A login item holds a copy of its user, so signing in is one read and a
//! taken e-mail or phone is a failed condition of the registering transaction.

use async_trait::async_trait;
use lapor_app::{
    AccountChange, AccountStore, AgencyStore, ConflictKind, Login, StaffList, StoreError, User,
};
use lapor_domain::rating::RatingTally;
use lapor_domain::{Agency, AgencyId, UserId};

use crate::error::{conditional, unavailable};
use crate::item::{Item, doc, from_doc, keyed, n, s};
use crate::table::LIST_INDEX;
use crate::write::Write;
use crate::{Dynamo, keys};

const NOT_TAKEN: &str = "attribute_not_exists(pk)";

impl Dynamo {
    /// One item by its keys, read consistently.
    pub(crate) async fn get(&self, pk: String, sk: &str) -> Result<Option<Item>, StoreError> {
        self.client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .consistent_read(true)
            .send()
            .await
            .map(|found| found.item)
            .map_err(unavailable)
    }

    /// The first items of a `list` partition, in order, after `after`.
    async fn listed(
        &self,
        list: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Item>, StoreError> {
        let mut query = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(LIST_INDEX)
            .expression_attribute_values(":list", s(list))
            .limit(i32::try_from(limit).unwrap_or(i32::MAX));
        query = match after {
            Some(after) => query
                .key_condition_expression("gpk = :list AND gsk > :after")
                .expression_attribute_values(":after", s(after)),
            None => query.key_condition_expression("gpk = :list"),
        };
        query
            .send()
            .await
            .map(|found| found.items.unwrap_or_default())
            .map_err(unavailable)
    }
}

/// The user's own item, in the list of all users.
fn user_item(user: &User) -> Result<Item, StoreError> {
    let mut record = keyed(keys::user(&user.id), "U");
    record.insert("gpk".into(), s(keys::USERS));
    record.insert("gsk".into(), s(user.id.as_str()));
    record.insert("version".into(), n(user.version));
    record.insert("doc".into(), doc(user)?);
    Ok(record)
}

/// A login item, holding a copy of its user.
fn login_item(login: &Login, user: &User) -> Result<Item, StoreError> {
    let mut item = keyed(keys::login(login), "L");
    item.insert("doc".into(), doc(user)?);
    Ok(item)
}

/// The user's logins, each with the conflict a taken one is.
fn logins(user: &User) -> Vec<(Login, ConflictKind)> {
    let email = user
        .email
        .clone()
        .map(|e| (Login::Email(e), ConflictKind::Email));
    let phone = user
        .phone
        .clone()
        .map(|p| (Login::Phone(p), ConflictKind::Phone));
    email.into_iter().chain(phone).collect()
}

/// The user's entry in a staff list: in its own partition, listed in the list's.
fn staff_entry(list: &StaffList, user: &User) -> Result<Item, StoreError> {
    let key = keys::staff_list(list);
    let mut item = keyed(keys::user(&user.id), key.clone());
    item.insert("gpk".into(), s(key));
    item.insert("gsk".into(), s(user.id.as_str()));
    item.insert("doc".into(), doc(user)?);
    Ok(item)
}

#[async_trait]
impl AccountStore for Dynamo {
    async fn create_user(&self, user: &User, lists: &[StaffList]) -> Result<(), StoreError> {
        let mut writes =
            vec![self.put(user_item(user)?, Some((NOT_TAKEN, ConflictKind::Duplicate)))?];
        for (login, taken) in logins(user) {
            writes.push(self.put(login_item(&login, user)?, Some((NOT_TAKEN, taken)))?);
        }
        for list in lists {
            writes.push(self.put(staff_entry(list, user)?, None)?);
        }
        self.transact(writes).await
    }

    async fn update_user(&self, change: &AccountChange) -> Result<(), StoreError> {
        let (before, user) = (&change.before, &change.after);
        let mut writes: Vec<Write> = vec![self.put_over_version(user_item(user)?, before.version)?];
        let kept: Vec<Login> = logins(user).into_iter().map(|(login, _)| login).collect();
        for (login, _) in logins(before) {
            if !kept.contains(&login) {
                writes.push(self.delete(keys::login(&login), "L".into())?);
            }
        }
        let had: Vec<Login> = logins(before).into_iter().map(|(login, _)| login).collect();
        for (login, taken) in logins(user) {
            // A login it keeps is its own: only a new one must be free.
            let condition = (!had.contains(&login)).then_some((NOT_TAKEN, taken));
            writes.push(self.put(login_item(&login, user)?, condition)?);
        }
        for list in &change.before_lists {
            if !change.lists.contains(list) {
                writes.push(self.delete(keys::user(&user.id), keys::staff_list(list))?);
            }
        }
        for list in &change.lists {
            writes.push(self.put(staff_entry(list, user)?, None)?);
        }
        self.transact(writes).await
    }

    async fn staff(
        &self,
        list: &StaffList,
        after: Option<&UserId>,
        limit: usize,
    ) -> Result<Vec<User>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let items = self
            .listed(&keys::staff_list(list), after.map(UserId::as_str), limit)
            .await?;
        items.iter().map(from_doc).collect()
    }

    async fn user_by_login(&self, login: &Login) -> Result<Option<User>, StoreError> {
        let item = self.get(keys::login(login), "L").await?;
        item.as_ref().map(from_doc).transpose()
    }

    async fn user(&self, id: &UserId) -> Result<Option<User>, StoreError> {
        let item = self.get(keys::user(id), "U").await?;
        item.as_ref().map(from_doc).transpose()
    }

    async fn has_users(&self) -> Result<bool, StoreError> {
        Ok(!self.listed(keys::USERS, None, 1).await?.is_empty())
    }
}

fn agency_item(agency: &Agency) -> Result<Item, StoreError> {
    let mut item = keyed(keys::agency(&agency.id), "A");
    item.insert("gpk".into(), s(keys::AGENCIES));
    item.insert("gsk".into(), s(agency.id.as_str()));
    item.insert("version".into(), n(agency.version));
    item.insert("doc".into(), doc(agency)?);
    Ok(item)
}

#[async_trait]
impl AgencyStore for Dynamo {
    async fn create_agency(&self, agency: &Agency) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(agency_item(agency)?))
            .condition_expression(NOT_TAKEN)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| conditional(e, ConflictKind::Duplicate))
    }

    async fn agency(&self, id: &AgencyId) -> Result<Option<Agency>, StoreError> {
        let item = self.get(keys::agency(id), "A").await?;
        item.as_ref().map(from_doc).transpose()
    }

    async fn list_agencies(
        &self,
        after: Option<&AgencyId>,
        limit: usize,
    ) -> Result<Vec<Agency>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let items = self
            .listed(keys::AGENCIES, after.map(AgencyId::as_str), limit)
            .await?;
        items.iter().map(from_doc).collect()
    }

    async fn update_agency(&self, agency: &Agency) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(agency_item(agency)?))
            .condition_expression("#version = :before")
            .expression_attribute_names("#version", "version")
            .expression_attribute_values(":before", n(agency.version.saturating_sub(1)))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| conditional(e, ConflictKind::Version))
    }

    async fn rating(&self, id: &AgencyId) -> Result<RatingTally, StoreError> {
        self.rating_tally(id).await
    }
}

#[cfg(all(test, feature = "moto"))]
mod tests {
    use lapor_app::{AccountChange, AccountStore, ConflictKind, StoreError, User};
    use lapor_domain::{Role, UserId};

    use crate::item::s;
    use crate::keys;

    /// An account stored before accounts had versions (no `version` attribute) is at its first:
    /// it can be changed, once.
    #[tokio::test]
    async fn an_account_stored_before_versions_changes_as_its_first() {
        let store = crate::testing::fresh_table().await;
        let user = User {
            id: UserId::from_ulid(ulid::Ulid::from(7)),
            name: "Siti".into(),
            email: None,
            phone: None,
            password_hash: String::new(),
            role: Role::Citizen,
            agency_id: None,
            created_at: time::OffsetDateTime::UNIX_EPOCH,
            active: true,
            version: 1,
            signed_out_at: None,
            email_confirmed: true,
            phone_confirmed: true,
            codes: Vec::new(),
        };
        store.create_user(&user, &[]).await.unwrap();
        store
            .client
            .update_item()
            .table_name(&store.table)
            .key("pk", s(keys::user(&user.id)))
            .key("sk", s("U"))
            .update_expression("REMOVE #version")
            .expression_attribute_names("#version", "version")
            .send()
            .await
            .unwrap();
        let change = AccountChange {
            before: user.clone(),
            before_lists: Vec::new(),
            after: User {
                name: "Siti Aminah".into(),
                version: 2,
                ..user
            },
            lists: Vec::new(),
        };
        store.update_user(&change).await.unwrap();
        assert_eq!(
            store.update_user(&change).await,
            Err(StoreError::Conflict(ConflictKind::Version))
        );
    }
}
