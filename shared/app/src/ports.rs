//! The ports: what the use cases need from the outside world, as small traits. Each backend
//! implements every store trait with the same behaviour; one contract suite checks both.

use async_trait::async_trait;
use lapor_domain::attachment::{Attachment, ContentType};
use lapor_domain::fields::{Email, Phone};
use lapor_domain::jobs::{Agenda, Job};
use lapor_domain::notify::Recipient;
use lapor_domain::{
    Agency, AgencyId, AttachmentId, Entry, Report, ReportId, Role, Status, TrackingId, UserId,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use ulid::Ulid;

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

/// A notification intent, written in the same atomic write as the change that causes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxMessage {
    /// Its id (a ULID): the consumers' dedupe key.
    pub id: String,
    /// When the change happened.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The report.
    pub report_id: ReportId,
    /// Its tracking id.
    pub tracking_id: TrackingId,
    /// The timeline entry.
    pub entry_id: lapor_domain::EntryId,
    /// The entry's type, such as `disposed`.
    pub event: String,
    /// Who is to be told.
    pub recipients: Vec<Recipient>,
}

/// The first answer to a request sent with an `Idempotency-Key`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IdempotencyRecord {
    /// The caller and the key.
    pub scope: String,
    /// A hash of the request body: a retry must send the same.
    pub request_hash: String,
    /// The answer to give again.
    pub response: serde_json::Value,
    /// When it was first answered.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl IdempotencyRecord {
    /// How long a key is honoured. Past that, its record may be gone (a store purges or
    /// expires it) and the key may be used again.
    pub const KEPT: time::Duration = time::Duration::days(30);

    /// When the key stops being honoured.
    pub fn expires_at(&self) -> OffsetDateTime {
        self.created_at + Self::KEPT
    }
}

/// A new report with everything written with it, atomically.
#[derive(Clone, Debug)]
pub struct NewReport {
    /// The report.
    pub report: Report,
    /// Its first timeline entries.
    pub entries: Vec<Entry>,
    /// Its notifications.
    pub outbox: Vec<OutboxMessage>,
    /// The hash of its access code, for reporters without an account.
    pub access_code_hash: Option<String>,
    /// The answer to remember for the idempotency key.
    pub idempotency: Option<IdempotencyRecord>,
    /// Uploads it attaches: each is claimed for the report only if no report has it yet.
    pub attachments: Vec<AttachmentId>,
    /// When the jobs next have work on it, indexed for [`ReportStore::due_work`].
    pub agenda: Agenda,
}

/// A change to a report, written only if the report is still as it was read.
#[derive(Clone, Debug)]
pub struct Change {
    /// The state that was read. Its version guards the write; a backend that keeps derived
    /// items (list entries) also learns from it which ones the change removes.
    pub before: Report,
    /// The new state (its version is `before.version + 1`).
    pub report: Report,
    /// The new timeline entries.
    pub entries: Vec<Entry>,
    /// Their notifications.
    pub outbox: Vec<OutboxMessage>,
    /// Uploads it attaches: each is claimed for the report only if no report has it yet.
    pub attachments: Vec<AttachmentId>,
    /// When the jobs next have work on the new state, indexed for [`ReportStore::due_work`].
    pub agenda: Agenda,
    /// The agenda of the state read, so that a store keeping an entry per planned job knows
    /// which entries the change removes.
    pub agenda_before: Agenda,
}

/// A report a job has work on, as the job's index holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueWork {
    /// When the work fell due.
    pub at: OffsetDateTime,
    /// The report.
    pub id: ReportId,
    /// Its tracking id, to load it by.
    pub tracking_id: TrackingId,
}

/// How a report is looked up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportKey {
    /// By internal id.
    Id(ReportId),
    /// By tracking id.
    Tracking(TrackingId),
}

/// A report with its timeline.
#[derive(Clone, Debug)]
pub struct Stored {
    /// The state.
    pub report: Report,
    /// The timeline, oldest first.
    pub entries: Vec<Entry>,
}

/// A position in a list sorted by last change, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// The last change of the last item seen.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Its id, to break ties.
    pub id: ReportId,
}

/// One page of a list.
#[derive(Clone, Debug)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Where the next page starts, if there is one.
    pub next: Option<Cursor>,
}

/// The public feed's filters.
#[derive(Clone, Debug, Default)]
pub struct FeedQuery {
    /// Only this status.
    pub status: Option<Status>,
    /// Only this category.
    pub category: Option<String>,
    /// Only reports held by this agency.
    pub agency_id: Option<AgencyId>,
    /// Words that must all appear in the title or body (lower-case).
    pub words: Vec<String>,
    /// Page size.
    pub limit: usize,
    /// Start after this position.
    pub after: Option<Cursor>,
}

/// Whose work list.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    /// The national admins: the whole country.
    National,
    /// One agency.
    Agency(AgencyId),
}

/// The boxes of the work list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InboxBox {
    /// Submitted, waiting for verification (for an agency: those addressed to it).
    Verification,
    /// Disposed, no follow-up yet (Belum Ditindaklanjuti).
    Pending,
    /// Sedang Diproses.
    InProgress,
    /// Selesai.
    Closed,
    /// Salinan: read-only copies.
    Copies,
    /// Riwayat Permintaan: "not our authority" requests made or to decide.
    Requests,
}

impl InboxBox {
    /// The boxes whose reports have a running deadline: those the work list counts.
    pub const COUNTED: [InboxBox; 3] = [Self::Verification, Self::Pending, Self::InProgress];

    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Verification => "verification",
            Self::Pending => "pending",
            Self::InProgress => "in_progress",
            Self::Closed => "closed",
            Self::Copies => "copies",
            Self::Requests => "requests",
        }
    }

    /// Parses the API name.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "verification" => Ok(Self::Verification),
            "pending" => Ok(Self::Pending),
            "in_progress" => Ok(Self::InProgress),
            "closed" => Ok(Self::Closed),
            "copies" => Ok(Self::Copies),
            "requests" => Ok(Self::Requests),
            _ => Err(
                "must be one of verification, pending, in_progress, closed, copies, requests"
                    .to_string(),
            ),
        }
    }
}

/// A work-list query.
#[derive(Clone, Debug)]
pub struct InboxQuery {
    /// Whose.
    pub scope: Scope,
    /// Which box.
    pub inbox: InboxBox,
    /// Words that must all appear in the title or body (lower-case).
    pub words: Vec<String>,
    /// Only overdue reports.
    pub overdue_only: bool,
    /// The moment deadlines are compared with.
    pub now: OffsetDateTime,
    /// Page size.
    pub limit: usize,
    /// Start after this position.
    pub after: Option<Cursor>,
}

/// The counts at the top of the work list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxCounts {
    /// Waiting for verification.
    pub verification: u64,
    /// Disposed, no follow-up yet.
    pub pending: u64,
    /// In progress.
    pub in_progress: u64,
    /// Overdue among those.
    pub overdue: u64,
}

/// Reports, their timelines, outbox and idempotency records.
#[async_trait]
pub trait ReportStore: Send + Sync {
    /// Writes a new report atomically with its entries, outbox, access code, idempotency
    /// record and attachment claims. Fails with `Conflict(TrackingId)`,
    /// `Conflict(IdempotencyKey)` or `Conflict(Attachment)`, writing nothing;
    /// an idempotency record expired by the new one's creation is replaced, and expired ones
    /// are removed in time (the store does not grow with old keys).
    async fn create(&self, new: NewReport) -> Result<(), StoreError>;
    /// Loads a report and its timeline.
    async fn load(&self, key: &ReportKey) -> Result<Option<Stored>, StoreError>;
    /// Writes a change atomically if the report is still at the expected version and its
    /// attachments are unclaimed; else `Conflict(Version)` or `Conflict(Attachment)` and nothing
    /// is written.
    async fn apply(&self, change: Change) -> Result<(), StoreError>;
    /// The report id and access-code hash for a tracking id.
    async fn access_code_hash(
        &self,
        tracking_id: &TrackingId,
    ) -> Result<Option<(ReportId, String)>, StoreError>;
    /// The remembered answer for an idempotency scope (possibly expired: see
    /// [`IdempotencyRecord::expires_at`]).
    async fn idempotency(&self, scope: &str) -> Result<Option<IdempotencyRecord>, StoreError>;
    /// The public feed: published, non-confidential reports, newest change first.
    async fn feed(&self, query: &FeedQuery) -> Result<Page<Report>, StoreError>;
    /// A work list box, newest change first.
    async fn inbox(&self, query: &InboxQuery) -> Result<Page<Report>, StoreError>;
    /// The work list's counts.
    async fn inbox_counts(
        &self,
        scope: &Scope,
        now: OffsetDateTime,
    ) -> Result<InboxCounts, StoreError>;
    /// Outbox messages not yet sent, oldest first.
    async fn outbox_pending(&self, limit: usize) -> Result<Vec<OutboxMessage>, StoreError>;
    /// Marks an outbox message sent: it leaves [`ReportStore::outbox_pending`] (marking it
    /// twice changes nothing).
    async fn mark_sent(&self, message: &OutboxMessage) -> Result<(), StoreError>;
    /// The reports whose agenda for `job` is at or before `until`, earliest first (then by id),
    /// starting after `after`: what a job pass has to look at, read from an index by time.
    async fn due_work(
        &self,
        job: Job,
        until: OffsetDateTime,
        after: Option<&DueWork>,
        limit: usize,
    ) -> Result<Vec<DueWork>, StoreError>;
    /// Stores a new agenda for a report without changing the report, if it is still at the
    /// version given; else `Conflict(Version)` and nothing is written. For a report found with
    /// nothing to do (its agenda was made by an older calendar or release).
    async fn replan(&self, report: &Report, agenda: &Agenda) -> Result<(), StoreError>;
}

/// A user account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// The person's name.
    pub name: String,
    /// Login by e-mail.
    pub email: Option<Email>,
    /// Login by phone.
    pub phone: Option<Phone>,
    /// The argon2id hash of the password (PHC string).
    pub password_hash: String,
    /// The role.
    pub role: Role,
    /// The agency of staff.
    pub agency_id: Option<AgencyId>,
    /// When the account was made.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// How a person signs in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Login {
    /// By e-mail.
    Email(Email),
    /// By phone.
    Phone(Phone),
}

/// User accounts.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates an account; `Conflict(Email)` or `Conflict(Phone)` when taken.
    async fn create_user(&self, user: &User) -> Result<(), StoreError>;
    /// The account with this login.
    async fn user_by_login(&self, login: &Login) -> Result<Option<User>, StoreError>;
    /// The account with this id.
    async fn user(&self, id: &UserId) -> Result<Option<User>, StoreError>;
    /// True when any account exists (the bootstrap admin is made only in an empty store).
    async fn has_users(&self) -> Result<bool, StoreError>;
}

/// Agencies.
#[async_trait]
pub trait AgencyStore: Send + Sync {
    /// Creates an agency; `Conflict(Duplicate)` if the id exists.
    async fn create_agency(&self, agency: &Agency) -> Result<(), StoreError>;
    /// The agency with this id.
    async fn agency(&self, id: &AgencyId) -> Result<Option<Agency>, StoreError>;
    /// Agencies sorted by id, after `after`.
    async fn list_agencies(
        &self,
        after: Option<&AgencyId>,
        limit: usize,
    ) -> Result<Vec<Agency>, StoreError>;
    /// Replaces an agency's record, if it is still at `agency.version - 1`; otherwise a
    /// version conflict.
    async fn update_agency(&self, agency: &Agency) -> Result<(), StoreError>;
}

/// Counters of attempts per key in fixed windows (passwords, access codes).
#[async_trait]
pub trait ThrottleStore: Send + Sync {
    /// Atomically counts one attempt for `key` in the window starting at `window_start` (a
    /// counter from an earlier window starts again) and returns the count including this one.
    async fn attempt(&self, key: &str, window_start: OffsetDateTime) -> Result<u32, StoreError>;
    /// Forgets the attempts of `key` (after a success).
    async fn clear(&self, key: &str) -> Result<(), StoreError>;
}

/// An upload: what was declared, who asked for it, where its bytes are, and the report it was
/// attached to once it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttachmentRecord {
    /// The declared name, type and size.
    pub attachment: Attachment,
    /// Who asked for the upload URL (see [`crate::attachments::caller_key`]): only they may
    /// attach it.
    pub owner: String,
    /// The random, unguessable name of its blob (see [`crate::attachments::BlobKey`]).
    pub object: String,
    /// When the upload was asked for.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The report it was attached to; `None` while it waits.
    pub report_id: Option<ReportId>,
}

/// Upload records. They are attached by the report writes ([`NewReport::attachments`],
/// [`Change::attachments`]); records never attached are removed in time.
#[async_trait]
pub trait AttachmentStore: Send + Sync {
    /// Keeps a new upload record; `Conflict(Duplicate)` if the id exists.
    async fn create_attachment(&self, record: &AttachmentRecord) -> Result<(), StoreError>;
    /// The record of an upload.
    async fn attachment(&self, id: &AttachmentId) -> Result<Option<AttachmentRecord>, StoreError>;
}

/// Where the client sends an upload's bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UploadUrl {
    /// The URL to `PUT` to. A path (starting with `/`) is served by this API itself.
    pub url: String,
    /// The headers to send with it, exactly.
    pub headers: std::collections::BTreeMap<String, String>,
}

/// What a blob store knows of a stored blob.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlobInfo {
    /// Its length in bytes.
    pub size: u64,
    /// The content type it was stored with.
    pub content_type: Option<String>,
}

/// How long a signed URL lasts, from when.
#[derive(Clone, Copy, Debug)]
pub struct Validity {
    /// When it is signed.
    pub from: OffsetDateTime,
    /// How long it lasts.
    pub lasts: time::Duration,
}

/// The bytes of attachments, reached through signed URLs so they never pass through the
/// functions: S3 with presigned URLs, or a folder served by `lapor-local`.
#[async_trait]
pub trait BlobStore: Send + Sync {
    /// A URL on which exactly `size` bytes of `content_type` may be put at `key`.
    async fn upload_url(
        &self,
        key: &str,
        content_type: ContentType,
        size: u64,
        validity: Validity,
    ) -> Result<UploadUrl, StoreError>;
    /// A URL that downloads `key` with these `Content-Type` and `Content-Disposition`.
    async fn download_url(
        &self,
        key: &str,
        content_type: ContentType,
        disposition: &str,
        validity: Validity,
    ) -> Result<String, StoreError>;
    /// The size and type of the blob at `key`, if there is one.
    async fn info(&self, key: &str) -> Result<Option<BlobInfo>, StoreError>;
    /// The first `n` bytes of the blob at `key` (fewer if it is shorter).
    async fn first_bytes(&self, key: &str, n: u64) -> Result<Vec<u8>, StoreError>;
    /// Copies a blob, replacing what was at `to`.
    async fn copy(&self, from: &str, to: &str) -> Result<(), StoreError>;
    /// The uploads and downloads this API serves itself, for a store without its own URLs.
    fn direct(&self) -> Option<&dyn DirectBlobs> {
        None
    }
}

/// A blob store whose signed URLs point at this API (`PUT`/`GET /v1/blobs/{key}`).
#[async_trait]
pub trait DirectBlobs: Send + Sync {
    /// Stores an upload if its signature (`query`) holds at `now` and the body has the length
    /// and type it binds.
    async fn receive(
        &self,
        key: &str,
        query: &str,
        content_type: Option<&str>,
        body: &[u8],
        now: OffsetDateTime,
    ) -> Result<(), BlobRefusal>;
    /// A blob, if its signature (`query`) holds at `now`.
    async fn send(
        &self,
        key: &str,
        query: &str,
        now: OffsetDateTime,
    ) -> Result<DirectDownload, BlobRefusal>;
}

/// A blob served by [`DirectBlobs::send`].
#[derive(Clone, Debug)]
pub struct DirectDownload {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The `Content-Type` to answer with.
    pub content_type: String,
    /// The `Content-Disposition` to answer with.
    pub disposition: String,
}

/// Why a direct upload or download is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BlobRefusal {
    /// The URL is not one this API signed, or was altered.
    #[error("the signature does not match this URL")]
    Signature,
    /// The URL has expired.
    #[error("the URL has expired")]
    Expired,
    /// The body is not the length the URL binds.
    #[error("the body is {got} bytes; this URL takes exactly {expected}")]
    Length {
        /// Bound by the URL.
        expected: u64,
        /// Sent.
        got: u64,
    },
    /// The `Content-Type` is not the one the URL binds.
    #[error("the Content-Type must be {expected}")]
    ContentType {
        /// Bound by the URL.
        expected: String,
    },
    /// Nothing is stored there.
    #[error("no such file")]
    NotFound,
    /// The storage failed.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
}

/// Who reads a notification in the app: one reader, or a group whose members all see it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Audience {
    /// A person with an account.
    User(UserId),
    /// Whoever holds a report's access token (a reporter without an account).
    Report(ReportId),
    /// The staff of an agency.
    Agency(AgencyId),
    /// The admins of an agency; `None`: the national admins.
    Admins(Option<AgencyId>),
}

impl Audience {
    /// The audience as one string: `user:{id}`, `report:{id}`, `agency:{id}`,
    /// `admins:{agency id}` or `admins:national`.
    pub fn key(&self) -> String {
        match self {
            Self::User(id) => format!("user:{id}"),
            Self::Report(id) => format!("report:{id}"),
            Self::Agency(id) => format!("agency:{id}"),
            Self::Admins(Some(id)) => format!("admins:{id}"),
            Self::Admins(None) => "admins:national".to_string(),
        }
    }
}

/// What one audience reads in the app of one outbox message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// The outbox message's id (a ULID, so ids sort by time): with the audience, the key that
    /// makes a redelivered message change nothing.
    pub id: String,
    /// Who reads it.
    pub audience: Audience,
    /// The report.
    pub report_id: ReportId,
    /// Its tracking id.
    pub tracking_id: TrackingId,
    /// What happened: the timeline entry's type, such as `disposed`.
    pub event: String,
    /// The text, in Bahasa Indonesia.
    pub text: String,
    /// When it happened.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// In-app notifications, their read marks, and the marks of webhook deliveries done.
#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// Keeps a notification unless its audience has one of the same id: `true` when it is new.
    async fn add_notification(&self, notification: &Notification) -> Result<bool, StoreError>;
    /// The notifications of these audiences, newest first, with ids below `before`.
    async fn notifications(
        &self,
        audiences: &[Audience],
        before: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Notification>, StoreError>;
    /// Marks notifications read by `reader` (an [`Audience::key`] of one person).
    async fn mark_read(&self, reader: &str, ids: &[String]) -> Result<(), StoreError>;
    /// Which of `ids` `reader` has read.
    async fn read_marks(
        &self,
        reader: &str,
        ids: &[String],
    ) -> Result<std::collections::HashSet<String>, StoreError>;
    /// True when the webhook delivery `key` was done.
    async fn delivered(&self, key: &str) -> Result<bool, StoreError>;
    /// Records the webhook delivery `key` as done.
    async fn mark_delivered(&self, key: &str, at: OffsetDateTime) -> Result<(), StoreError>;
    /// Counts one more failure of the webhook delivery `key`; answers how many so far.
    async fn count_failure(&self, key: &str) -> Result<u32, StoreError>;
}

/// The queue that fans notifications out to the notifier (SQS).
#[async_trait]
pub trait NotificationQueue: Send + Sync {
    /// Sends messages; answers the ids of those the queue accepted (the others are retried).
    async fn send(&self, messages: &[OutboxMessage]) -> Result<Vec<String>, StoreError>;
}

/// An integration event for other systems: what happened to which report, never its content
/// or its reporter (docs: README.md, "Integration events").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationEvent {
    /// The outbox message's id: consumers deduplicate on it.
    pub id: String,
    /// `report.submitted`, `report.disposed`, ...
    pub detail_type: String,
    /// When it happened.
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
    /// The event's detail (JSON).
    pub detail: serde_json::Value,
}

/// The bus integration events are published to (EventBridge).
#[async_trait]
pub trait EventBus: Send + Sync {
    /// Publishes events; answers the ids of those the bus accepted (the others are retried).
    async fn publish(&self, events: &[IntegrationEvent]) -> Result<Vec<String>, StoreError>;
}

/// A store that holds every kind of record: what a backend provides.
pub trait Store:
    ReportStore
    + AccountStore
    + AgencyStore
    + ThrottleStore
    + AttachmentStore
    + NotificationStore
    + 'static
{
}
impl<T> Store for T where
    T: ReportStore
        + AccountStore
        + AgencyStore
        + ThrottleStore
        + AttachmentStore
        + NotificationStore
        + 'static
{
}

/// The time.
pub trait Clock: Send + Sync {
    /// Now.
    fn now(&self) -> OffsetDateTime;
}

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// Fresh ids and secrets.
pub trait Ids: Send + Sync {
    /// A new ULID.
    fn ulid(&self) -> Ulid;
    /// A tracking number drawn from [`TrackingId::RANGE`].
    fn tracking_number(&self) -> u64;
    /// `n` bytes from a cryptographically secure generator.
    fn secret(&self, n: usize) -> Vec<u8>;
}

/// Ids from the operating system's random generator.
#[derive(Clone, Copy, Debug, Default)]
pub struct RandomIds;

impl Ids for RandomIds {
    fn ulid(&self) -> Ulid {
        // Monotonic within the process: the entries and messages of one change, made in the
        // same millisecond, sort in the order they were made (notifications list by id).
        static GENERATOR: std::sync::Mutex<ulid::Generator> =
            std::sync::Mutex::new(ulid::Generator::new());
        let mut generator = GENERATOR
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // It fails only past 2^80 ids in one millisecond.
        generator.generate().unwrap_or_else(|_| Ulid::generate())
    }

    fn tracking_number(&self) -> u64 {
        use rand::Rng;
        rand::rng().random_range(TrackingId::RANGE)
    }

    fn secret(&self, n: usize) -> Vec<u8> {
        use rand::RngCore;
        // The thread generator is a CSPRNG seeded (and reseeded) from the operating system.
        let mut bytes = vec![0; n];
        rand::rng().fill_bytes(&mut bytes);
        bytes
    }
}
