//! The web pages' sessions (`SE#{id hash}`), expired by DynamoDB's time to live.

use async_trait::async_trait;
use lapor_app::{Session, SessionStore, StoreError};

use crate::error::unavailable;
use crate::item::{doc, expires_at, from_doc, keyed, s};
use crate::table::EXPIRES;
use crate::{Dynamo, keys};

const SK: &str = "SE";

#[async_trait]
impl SessionStore for Dynamo {
    async fn create_session(&self, session: &Session) -> Result<(), StoreError> {
        let mut item = keyed(keys::session(&session.id_hash), SK);
        item.insert("doc".into(), doc(session)?);
        item.insert(EXPIRES.into(), expires_at(session.expires_at));
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map(|_| ())
            .map_err(unavailable)
    }

    async fn session(&self, id_hash: &str) -> Result<Option<Session>, StoreError> {
        let found = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(keys::session(id_hash)))
            .key("sk", s(SK))
            // Signing out must end a session at once, on every function.
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        found.item().map(from_doc).transpose()
    }

    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .key("pk", s(keys::session(id_hash)))
            .key("sk", s(SK))
            .send()
            .await
            .map(|_| ())
            .map_err(unavailable)
    }
}
