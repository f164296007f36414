//! The outbox: messages queued in the write of the change that causes them, until the relay
//! marks them sent.

use async_trait::async_trait;
use lapor_app::{Outbox, OutboxMessage, StoreError};
use rusqlite::{Transaction, params};
use time::OffsetDateTime;

use crate::Embedded;
use crate::codec::{from_docs, nanos, to_doc, to_i64};
use crate::sql::{execute, texts};

#[async_trait]
impl Outbox for Embedded {
    async fn outbox_pending(&self, limit: usize) -> Result<Vec<OutboxMessage>, StoreError> {
        self.db
            .read(move |conn| {
                let sql = "SELECT doc FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?1";
                from_docs(&texts(conn, sql, [to_i64(limit as u64)])?)
            })
            .await
    }

    async fn mark_sent(
        &self,
        message: &OutboxMessage,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let (id, at) = (message.id.clone(), nanos(at));
        self.db
            .write(move |tx| {
                let sql = "UPDATE outbox SET sent_at = ?1 WHERE id = ?2 AND sent_at IS NULL";
                execute(tx, sql, params![at, id]).map(drop)
            })
            .await
    }
}

/// Queues messages inside the write of the change that causes them.
pub(crate) fn queue(tx: &Transaction, messages: &[OutboxMessage]) -> Result<(), StoreError> {
    for message in messages {
        let sql = "INSERT INTO outbox (id, doc) VALUES (?1, ?2)";
        execute(tx, sql, params![message.id, to_doc(message)?])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use lapor_domain::{EntryId, EventKind, ReportId, TrackingId};
    use time::macros::datetime;

    use super::*;
    use crate::sql::text;

    #[tokio::test]
    async fn a_message_is_sent_at_the_moment_given() {
        let dir = tempfile::tempdir().unwrap();
        let store = Embedded::open(dir.path()).unwrap();
        let t0 = datetime!(2025-06-02 03:00 UTC);
        let message = OutboxMessage {
            id: "01JX0000000000000000000001".to_string(),
            at: t0,
            report_id: ReportId::parse("01JX0000000000000000000002").unwrap(),
            tracking_id: TrackingId::from_number(12_345_678),
            entry_id: EntryId::parse("01JX0000000000000000000003").unwrap(),
            event: EventKind::Submitted,
            recipients: Vec::new(),
        };
        let queued = vec![message.clone()];
        store.db.write(move |tx| queue(tx, &queued)).await.unwrap();
        let sent = t0 + time::Duration::minutes(5);
        store.mark_sent(&message, sent).await.unwrap();
        store
            .mark_sent(&message, sent + time::Duration::hours(1))
            .await
            .unwrap();
        let sent_at = store
            .db
            .read(|conn| text(conn, "SELECT CAST(sent_at AS TEXT) FROM outbox", []))
            .await
            .unwrap();
        assert_eq!(sent_at, Some(nanos(sent).to_string()));
    }
}
