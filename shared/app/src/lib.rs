//! The use cases of lapor and the ports they need.
//!
//! A use case loads what it needs through the ports, asks the domain to decide, and records the
//! outcome in one atomic write: the new state, its timeline entries and its outbox messages,
//! guarded by the version it read. The adapters (`lapor-embedded`, later `lapor-aws`) implement
//! the ports; `lapor-http` calls the use cases.

pub mod accounts;
pub mod agencies;
pub mod attachments;
pub mod categories;
pub mod codes;
mod commit;
#[cfg(feature = "contract")]
pub mod contract;
pub mod error;
pub mod index;
pub mod jobs;
pub mod notifications;
pub mod ports;
pub mod reports;
pub mod secrets;
pub mod sessions;
pub mod throttle;

pub use error::AppError;
pub use ports::*;

use std::sync::Arc;

use lapor_domain::Calendar;

/// Everything the use cases need, built once at start: each port by the capability it gives,
/// so that a use case reaches only what it uses (a backend gives all of them, see [`Store`]).
#[derive(Clone)]
pub struct App {
    /// Reports and their timelines.
    pub reports: Arc<dyn Reports>,
    /// The hashes of access codes.
    pub access_codes: Arc<dyn AccessCodes>,
    /// Remembered answers to idempotent submissions.
    pub idempotency: Arc<dyn IdempotencyRecords>,
    /// The public feed and the work lists.
    pub lists: Arc<dyn ReportLists>,
    /// Messages waiting to be relayed.
    pub outbox: Arc<dyn Outbox>,
    /// When the jobs next have work on each report.
    pub agenda: Arc<dyn AgendaIndex>,
    /// User accounts.
    pub accounts: Arc<dyn AccountStore>,
    pub agencies: Arc<dyn AgencyStore>,
    /// The category tree.
    pub categories: Arc<dyn CategoryStore>,
    /// The web pages' sessions.
    pub sessions: Arc<dyn SessionStore>,
    /// Counters of login and access-code attempts.
    pub throttle: Arc<dyn ThrottleStore>,
    /// Upload records.
    pub attachments: Arc<dyn AttachmentStore>,
    /// The bytes of attachments.
    pub blobs: Arc<dyn BlobStore>,
    /// In-app notifications, read marks and webhook delivery marks.
    pub notifications: Arc<dyn NotificationStore>,
    /// How the outbox relay reaches the notifier.
    pub delivery: notifications::Delivery,
    /// Where integration events are published.
    pub events: Arc<dyn EventBus>,
    /// The outgoing webhook channels.
    pub webhooks: Arc<dyn notifications::Webhooks>,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// Fresh ids and secrets.
    pub ids: Arc<dyn Ids>,
    /// The working-day calendar.
    pub calendar: Arc<Calendar>,
}
