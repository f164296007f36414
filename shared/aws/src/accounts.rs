//! Users and agencies. A login item holds a copy of its user, so signing in is one read and a
//! taken e-mail or phone is a failed condition of the registering transaction.

use async_trait::async_trait;
use lapor_app::{AccountStore, AgencyStore, ConflictKind, Login, StoreError, User};
use lapor_domain::{Agency, AgencyId, UserId};

use crate::error::{conditional, unavailable};
use crate::item::{Item, doc, from_doc, keyed, n, s};
use crate::table::LIST_INDEX;
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

#[async_trait]
impl AccountStore for Dynamo {
    async fn create_user(&self, user: &User) -> Result<(), StoreError> {
        let mut record = keyed(keys::user(&user.id), "U");
        record.insert("gpk".into(), s(keys::USERS));
        record.insert("gsk".into(), s(user.id.as_str()));
        record.insert("doc".into(), doc(user)?);
        let mut writes = vec![self.put(record, Some((NOT_TAKEN, ConflictKind::Duplicate)))?];
        let logins = [
            user.email
                .clone()
                .map(|e| (Login::Email(e), ConflictKind::Email)),
            user.phone
                .clone()
                .map(|p| (Login::Phone(p), ConflictKind::Phone)),
        ];
        for (login, taken) in logins.into_iter().flatten() {
            let mut item = keyed(keys::login(&login), "L");
            item.insert("doc".into(), doc(user)?);
            writes.push(self.put(item, Some((NOT_TAKEN, taken)))?);
        }
        self.transact(writes).await
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
}
