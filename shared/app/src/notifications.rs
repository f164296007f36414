//! Notifications without loss: the outbox relay, delivery, and the in-app list.
//!
//! Every change writes its notification intents to the outbox in its own atomic write. The
//! relay publishes each unsent message, as an integration event to the event bus and, when it
//! has recipients, to the notifier (through a queue on AWS, or delivered by the relay itself on
//! the embedded backend), and marks it sent only once both took it: a failure leaves it unsent
//! for the next pass, so a message may go out twice but is never lost. Delivery is idempotent:
//! an in-app notification is keyed by message and audience, a webhook call is recorded once
//! done, so a redelivered message adds nothing.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use lapor_domain::notify::{self, Recipient};
use lapor_domain::{Actor, EventKind, Report};
use serde::Serialize;
use serde_json::json;

use crate::App;
use crate::error::AppError;
use crate::ports::{
    Audience, IntegrationEvent, Notification, NotificationQueue, OutboxMessage, ReportKey,
};

/// How the relay hands notifications to the notifier.
#[derive(Clone)]
pub enum Delivery {
    /// Through a queue the notifier consumes (SQS on AWS).
    Queue(Arc<dyn NotificationQueue>),
    /// The relay delivers them itself: the embedded backend's in-process worker
    /// ([`App::relay_forever`]), which each write wakes.
    Inline(Arc<tokio::sync::Notify>),
}

/// Outgoing webhooks: the channels that carry notifications out (an SMS gateway, e-mail,
/// WhatsApp), each posting signed JSON.
#[async_trait::async_trait]
pub trait Webhooks: Send + Sync {
    /// The configured channels' names.
    fn channels(&self) -> Vec<String>;
    /// Posts `payload` to `channel`, its delivery `id` in a header for the receiver to
    /// deduplicate; an error says why it failed.
    async fn post(
        &self,
        channel: &str,
        id: &str,
        payload: &serde_json::Value,
    ) -> Result<(), String>;
}

/// No webhooks configured.
pub struct NoWebhooks;

#[async_trait::async_trait]
impl Webhooks for NoWebhooks {
    fn channels(&self) -> Vec<String> {
        Vec::new()
    }

    async fn post(&self, channel: &str, _: &str, _: &serde_json::Value) -> Result<(), String> {
        Err(format!("no webhook channel {channel}"))
    }
}

/// How long a request may spend relaying what it wrote before it answers anyway.
const AFTER_WRITE_BUDGET: Duration = Duration::from_secs(2);

/// In-process, a webhook call is tried this many times, waiting longer each time, before the
/// delivery fails and the message is retried by the relay's next pass. Through a queue it is
/// tried once per receive: SQS retries after the visibility timeout, and the notifier must not
/// spend its Lambda timeout waiting.
const WEBHOOK_ATTEMPTS: u32 = 3;
const WEBHOOK_FIRST_WAIT: Duration = Duration::from_millis(200);

/// After this many failed deliveries of one webhook call it is given up (and logged), so a
/// channel that refuses for good cannot hold its messages, and those behind them, forever.
pub const WEBHOOK_GIVE_UP: u32 = 8;

/// What one relay pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RelayPass {
    /// Messages published and marked sent.
    pub sent: usize,
    /// Messages left unsent, for a later pass.
    pub left: usize,
}

/// A notification as its reader sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationView {
    pub id: String,
    /// The report's tracking id.
    pub tracking_id: String,
    /// What happened (a timeline entry's type).
    pub event: EventKind,
    pub text: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
    /// Whether the reader marked it read.
    pub read: bool,
}

/// The integration event of an outbox message: ids and what happened, nothing of the
/// report's content or reporter.
pub fn integration_event(message: &OutboxMessage) -> IntegrationEvent {
    IntegrationEvent {
        id: message.id.clone(),
        detail_type: notify::integration_type(message.event),
        time: message.at,
        detail: json!({
            "event_id": message.id,
            "event": message.event,
            "report_id": message.report_id,
            "tracking_id": message.tracking_id,
            "entry_id": message.entry_id,
        }),
    }
}

/// The audiences a message reaches on a report.
fn audiences(report: &Report, recipients: &[Recipient]) -> Vec<Audience> {
    let mut list: Vec<Audience> = Vec::new();
    for recipient in recipients {
        let audience = match recipient {
            Recipient::Reporter => match &report.reporter().user_id {
                Some(user) => Audience::User(user.clone()),
                None => Audience::Report(report.id().clone()),
            },
            Recipient::Agency { agency_id } => Audience::Agency(agency_id.clone()),
            Recipient::Admins { agency_id } => Audience::Admins(agency_id.clone()),
        };
        if !list.contains(&audience) {
            list.push(audience);
        }
    }
    list
}

/// Whose notifications an actor reads, and the key of their read marks.
fn reader(actor: &Actor) -> Result<(Vec<Audience>, String), AppError> {
    let user = |p: &lapor_domain::Person| Audience::User(p.id.clone());
    let audiences = match actor {
        Actor::Public | Actor::System => return Err(AppError::Unauthenticated),
        Actor::ReportHolder(id) => vec![Audience::Report(id.clone())],
        Actor::Citizen(p) => vec![user(p)],
        Actor::NationalAdmin(p) => vec![user(p), Audience::Admins(None)],
        Actor::AgencyAdmin(p, path) => vec![
            user(p),
            Audience::Agency(path.id().clone()),
            Audience::Admins(Some(path.id().clone())),
        ],
        Actor::LiaisonOfficer(p, path) => vec![user(p), Audience::Agency(path.id().clone())],
    };
    let key = audiences[0].key();
    Ok((audiences, key))
}

impl App {
    /// One pass of the relay over at most `limit` unsent outbox messages, oldest first: the
    /// sweep of what the relay right after a write left (a failure, a crash between the write
    /// and the relay).
    pub async fn relay_outbox(&self, limit: usize) -> Result<RelayPass, AppError> {
        let pending = self.outbox.outbox_pending(limit).await?;
        self.publish(&pending).await
    }

    /// Relays the messages a write just made, right after it and before the request is
    /// answered (a Lambda function may freeze once it answered), within a bound: what fails
    /// or takes too long stays in the outbox for the sweep. With the messages in hand, it need
    /// not read the outbox (whose index may lag the write). On the embedded backend it wakes
    /// the in-process worker instead.
    pub async fn after_write(&self, written: &[OutboxMessage]) {
        if written.is_empty() {
            return;
        }
        if let Delivery::Inline(worker) = &self.delivery {
            worker.notify_one();
            return;
        }
        match tokio::time::timeout(AFTER_WRITE_BUDGET, self.publish(written)).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "relay failed; the sweep retries"),
            Err(_) => tracing::warn!("relay too slow; the sweep finishes it"),
        }
    }

    /// Publishes messages and marks sent those both the bus and the notifier took.
    async fn publish(&self, pending: &[OutboxMessage]) -> Result<RelayPass, AppError> {
        if pending.is_empty() {
            return Ok(RelayPass::default());
        }
        let events: Vec<IntegrationEvent> = pending.iter().map(integration_event).collect();
        let published: HashSet<String> = match self.events.publish(&events).await {
            Ok(ids) => ids.into_iter().collect(),
            Err(e) => {
                tracing::warn!(error = %e, "the event bus is unreachable; the outbox waits");
                HashSet::new()
            }
        };
        let delivered = self.hand_over(pending).await;
        let mut pass = RelayPass::default();
        for message in pending {
            if published.contains(&message.id) && delivered.contains(&message.id) {
                self.outbox.mark_sent(message, self.clock.now()).await?;
                pass.sent += 1;
            } else {
                pass.left += 1;
            }
        }
        Ok(pass)
    }

    /// Hands messages to the notifier; answers the ids it took. A message without recipients
    /// needs no delivery.
    async fn hand_over(&self, pending: &[OutboxMessage]) -> HashSet<String> {
        let (silent, to_tell): (Vec<&OutboxMessage>, Vec<&OutboxMessage>) =
            pending.iter().partition(|m| m.recipients.is_empty());
        let mut taken: HashSet<String> = silent.iter().map(|m| m.id.clone()).collect();
        match &self.delivery {
            Delivery::Queue(queue) => {
                let batch: Vec<OutboxMessage> = to_tell.into_iter().cloned().collect();
                match queue.send(&batch).await {
                    Ok(ids) => taken.extend(ids),
                    Err(e) => {
                        tracing::warn!(error = %e, "the queue is unreachable; the outbox waits")
                    }
                }
            }
            Delivery::Inline(_) => {
                for message in to_tell {
                    match self.deliver(message).await {
                        Ok(()) => {
                            taken.insert(message.id.clone());
                        }
                        Err(e) => {
                            tracing::warn!(message = %message.id, error = %e, "delivery failed; retried later");
                        }
                    }
                }
            }
        }
        taken
    }

    /// Delivers one message: an in-app notification per audience, then each webhook channel.
    /// Safe to repeat: what was delivered is not delivered again.
    pub async fn deliver(&self, message: &OutboxMessage) -> Result<(), AppError> {
        let stored = self
            .reports
            .load(&ReportKey::Id(message.report_id.clone()))
            .await?
            .ok_or_else(|| {
                AppError::Unavailable(format!("message {} names no report", message.id))
            })?;
        let report = &stored.report;
        let text = notify::text(message.event, &message.tracking_id);
        let audiences = audiences(report, &message.recipients);
        for audience in &audiences {
            self.notifications
                .add_notification(&Notification {
                    id: message.id.clone(),
                    audience: audience.clone(),
                    report_id: message.report_id.clone(),
                    tracking_id: message.tracking_id.clone(),
                    event: message.event,
                    text: text.clone(),
                    created_at: message.at,
                })
                .await?;
        }
        // Webhook gateways reach people (SMS, e-mail, WhatsApp): the reporter. Staff read their
        // agency's notifications in the app.
        let reporter = audiences
            .iter()
            .filter(|a| matches!(a, Audience::User(_) | Audience::Report(_)));
        let mut failed = Vec::new();
        for channel in self.webhooks.channels() {
            for audience in reporter.clone() {
                let key = format!("{}:{}:{channel}", message.id, audience.key());
                if self.notifications.delivered(&key).await? {
                    continue;
                }
                let payload = self
                    .webhook_payload(&key, message, report, audience, &text)
                    .await?;
                match self.post_with_backoff(&channel, &key, &payload).await {
                    Ok(()) => {
                        self.notifications
                            .mark_delivered(&key, self.clock.now())
                            .await?
                    }
                    Err(e) => {
                        let failures = self.notifications.count_failure(&key).await?;
                        if failures >= WEBHOOK_GIVE_UP {
                            tracing::error!(delivery = %key, %failures, error = %e, "webhook given up");
                            self.notifications
                                .mark_delivered(&key, self.clock.now())
                                .await?;
                        } else {
                            failed.push(format!("{channel}: {e}"));
                        }
                    }
                }
            }
        }
        if failed.is_empty() {
            Ok(())
        } else {
            Err(AppError::Unavailable(format!(
                "webhooks failed: {}",
                failed.join("; ")
            )))
        }
    }

    /// What a webhook receives: the notification, and the contact a gateway needs to reach the
    /// reporter (their account's, or what they gave with the report).
    async fn webhook_payload(
        &self,
        key: &str,
        message: &OutboxMessage,
        report: &Report,
        audience: &Audience,
        text: &str,
    ) -> Result<serde_json::Value, AppError> {
        // Webhooks go to the reporter only: their account's contact, or the one they gave.
        let account = match &report.reporter().user_id {
            Some(user) => self.accounts.user(user).await?,
            None => None,
        };
        let contact = &report.submission().contact;
        // An account's contact is used once confirmed only: the address typed at sign-up may
        // be someone else's.
        let email = account
            .as_ref()
            .filter(|u| u.email_confirmed)
            .and_then(|u| u.email.as_ref());
        let phone = account
            .as_ref()
            .filter(|u| u.phone_confirmed)
            .and_then(|u| u.phone.as_ref());
        let to = json!({
            "email": email.or(contact.email.as_ref()).map(|e| e.as_str()),
            "phone": phone.or(contact.phone.as_ref()).map(|p| p.as_str()),
        });
        Ok(json!({
            "id": key,
            "event_id": message.id,
            "event": message.event,
            "tracking_id": message.tracking_id,
            "audience": audience.key(),
            "text": text,
            "to": to,
            "at": message.at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        }))
    }

    pub(crate) async fn post_with_backoff(
        &self,
        channel: &str,
        key: &str,
        payload: &serde_json::Value,
    ) -> Result<(), String> {
        let attempts = match self.delivery {
            Delivery::Queue(_) => 1,
            Delivery::Inline(_) => WEBHOOK_ATTEMPTS,
        };
        let mut wait = WEBHOOK_FIRST_WAIT;
        let mut last = String::new();
        for attempt in 1..=attempts {
            match self.webhooks.post(channel, key, payload).await {
                Ok(()) => return Ok(()),
                Err(e) => last = e,
            }
            if attempt < attempts {
                tokio::time::sleep(wait).await;
                wait *= 4;
            }
        }
        Err(last)
    }

    /// The actor's notifications, newest first, after the cursor `before` (an id).
    pub async fn notifications_for(
        &self,
        actor: &Actor,
        before: Option<&str>,
        limit: usize,
    ) -> Result<(Vec<NotificationView>, Option<String>), AppError> {
        let (audiences, reader) = reader(actor)?;
        let mut found = self
            .notifications
            .notifications(&audiences, before, limit + 1)
            .await?;
        let next = (found.len() > limit).then(|| {
            found.truncate(limit);
            found.last().map(|n| n.id.clone())
        });
        let ids: Vec<String> = found.iter().map(|n| n.id.clone()).collect();
        let read = self.notifications.read_marks(&reader, &ids).await?;
        let items = found
            .into_iter()
            .map(|n| NotificationView {
                read: read.contains(&n.id),
                id: n.id,
                tracking_id: n.tracking_id.to_string(),
                event: n.event,
                text: n.text,
                created_at: n.created_at,
            })
            .collect();
        Ok((items, next.flatten()))
    }

    /// The actor's latest notifications, as a page shows them: each says whether it was read
    /// before, and all are read from now on.
    pub async fn notifications_seen(
        &self,
        actor: &Actor,
        limit: usize,
    ) -> Result<Vec<NotificationView>, AppError> {
        let (notifications, _) = self.notifications_for(actor, None, limit).await?;
        let unread: Vec<String> = notifications
            .iter()
            .filter(|n| !n.read)
            .map(|n| n.id.clone())
            .collect();
        if !unread.is_empty() {
            self.mark_notifications_read(actor, &unread).await?;
        }
        Ok(notifications)
    }

    /// Marks notifications read for the actor.
    pub async fn mark_notifications_read(
        &self,
        actor: &Actor,
        ids: &[String],
    ) -> Result<(), AppError> {
        let (_, reader) = reader(actor)?;
        Ok(self.notifications.mark_read(&reader, ids).await?)
    }
}

/// How long the in-process relay waits between passes while nothing wakes it, and at most
/// after failures (it waits twice as long after each failed pass, from one second).
pub const RELAY_IDLE: Duration = Duration::from_secs(60);
const RELAY_RETRY_FIRST: Duration = Duration::from_secs(1);
const RELAY_RETRY_MAX: Duration = Duration::from_secs(300);
/// Messages per relay pass.
pub const RELAY_BATCH: usize = 100;

impl App {
    /// The embedded backend's relay worker: drains the outbox whenever a write wakes it or a
    /// while passed, retrying what failed with a growing wait. Runs until dropped; returns at
    /// once when notifications go through a queue.
    pub async fn relay_forever(&self) {
        let Delivery::Inline(wake) = &self.delivery else {
            return;
        };
        let mut retry = RELAY_RETRY_FIRST;
        loop {
            let wait = match self.relay_outbox(RELAY_BATCH).await {
                // A full batch: there may be more right away.
                Ok(pass) if pass.left == 0 && pass.sent == RELAY_BATCH => continue,
                Ok(pass) if pass.left == 0 => {
                    retry = RELAY_RETRY_FIRST;
                    RELAY_IDLE
                }
                Ok(_) | Err(_) => {
                    let wait = retry;
                    retry = (retry * 2).min(RELAY_RETRY_MAX);
                    wait
                }
            };
            tokio::select! {
                () = wake.notified() => {}
                () = tokio::time::sleep(wait) => {}
            }
        }
    }
}
