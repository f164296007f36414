//! The ports: what the use cases need from the outside world, as small traits grouped by
//! capability, one file each. Each backend implements every store trait with the same
//! behaviour; one contract suite (`crate::contract`) checks both. A use case reaches only the
//! capabilities it uses (the fields of [`crate::App`]).

mod access_codes;
mod accounts;
mod agencies;
mod agenda;
mod attachments;
mod blobs;
mod categories;
mod clock;
mod idempotency;
mod lists;
mod notifications;
mod outbox;
mod reports;
mod sessions;
mod throttle;

pub use access_codes::*;
pub use accounts::*;
pub use agencies::*;
pub use agenda::*;
pub use attachments::*;
pub use blobs::*;
pub use categories::*;
pub use clock::*;
pub use idempotency::*;
pub use lists::*;
pub use notifications::*;
pub use outbox::*;
pub use reports::*;
pub use sessions::*;
pub use throttle::*;

/// What a conflicting write ran into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConflictKind {
    /// The report changed since it was read.
    Version,
    /// The tracking id is taken (the use case draws another).
    TrackingId,
    /// The idempotency key was used by a concurrent request.
    IdempotencyKey,
    /// The e-mail address belongs to another account.
    Email,
    /// The phone number belongs to another account.
    Phone,
    /// The id already exists.
    Duplicate,
    /// An attachment was attached elsewhere meanwhile.
    Attachment,
}

impl ConflictKind {
    /// The message a client sees.
    pub fn message(self) -> &'static str {
        match self {
            Self::Version => {
                "the report was changed by someone else meanwhile; reload and try again"
            }
            Self::TrackingId => "tracking id taken",
            Self::IdempotencyKey => "a request with this Idempotency-Key is being processed",
            Self::Email => "this e-mail address is already registered",
            Self::Phone => "this phone number is already registered",
            Self::Duplicate => "it already exists",
            Self::Attachment => "an attachment was attached to another message meanwhile",
        }
    }
}

/// A store's failure.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// A condition of the write failed: nothing was written.
    #[error("conflict: {0:?}")]
    Conflict(ConflictKind),
    /// The store failed or could not be reached.
    #[error("store unavailable: {0}")]
    Unavailable(String),
}

/// A store that holds every kind of record: what a backend provides.
pub trait Store:
    Reports
    + AccessCodes
    + IdempotencyRecords
    + ReportLists
    + Outbox
    + AgendaIndex
    + AccountStore
    + AgencyStore
    + ThrottleStore
    + AttachmentStore
    + NotificationStore
    + SessionStore
    + CategoryStore
    + 'static
{
}
impl<T> Store for T where
    T: Reports
        + AccessCodes
        + IdempotencyRecords
        + ReportLists
        + Outbox
        + AgendaIndex
        + AccountStore
        + AgencyStore
        + ThrottleStore
        + AttachmentStore
        + NotificationStore
        + SessionStore
        + CategoryStore
        + 'static
{
}
