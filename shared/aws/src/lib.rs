//! The AWS backend: every store of `lapor-app` on one DynamoDB table; attachments in S3
//! ([`S3Blobs`]); notifications through SQS ([`SqsQueue`]) and integration events on an
//! EventBridge bus ([`EventBridgeBus`]).
//!
//! # Key design
//!
//! One table, keys `pk` / `sk`, and two sparse global secondary indexes: `list` (`gpk` / `gsk`,
//! overloaded, all attributes projected) for everything that is read as a sorted list, and
//! `due` (`dpk` / `dsk`, projected to `due` and `late`) holding the entries of the boxes with a
//! running deadline, by deadline: small, so counting a box reads ~20 reports per 4 KB. `due`
//! also holds the scheduled jobs' agenda, one partition per job, sorted by the moment the job
//! next has work on each report.
//!
//! | item | `pk` | `sk` | `gpk` / `gsk` |
//! | --- | --- | --- | --- |
//! | report state | `R#{tracking}` | `R` | — |
//! | timeline entry | `R#{tracking}` | `R#{version:012}#{n:03}` | — |
//! | list entry (feed, a box) | `R#{tracking}` | `L#{list}` | `{list}` / `{updated:020}#{id}`; in a box with deadlines also `dpk` = `{list}`, `dsk` = `{due:039}#{id}` |
//! | outbox message | `R#{tracking}` | `O#{message id}` | `OUTBOX` / `{message id}`, while unsent |
//! | a job's agenda entry | `R#{tracking}` | `J#{job}` | `dpk` = `J#{job}`, `dsk` = `{next:039}#{id}`, while the job has work ahead |
//! | report id → tracking id | `I#{report id}` | `I` | — |
//! | idempotency record | `K#{scope}` | `K` | — (expires by TTL) |
//! | user | `U#{user id}` | `U` | `USERS` / `{user id}` |
//! | login (e-mail, phone) | `L#{email:… or phone:…}` | `L` | — |
//! | agency | `A#{agency id}` | `A` | `AGENCIES` / `{agency id}` |
//! | throttle counter | `X#{key}` | `X` | — (expires by TTL) |
//! | upload record | `T#{attachment id}` | `T` | — (expires by TTL until attached; `report` once attached) |
//! | in-app notification | `N#{audience key}` | `{notification id}` (a ULID: by time) | — |
//! | read mark | `M#{reader}` | `{notification id}` | — |
//! | webhook delivery mark | `W#{delivery key}` | `W` | — (expires by TTL after 30 days) |
//! | webhook delivery failures | `F#{delivery key}` | `W` | — (a counter; expires by TTL after 30 days) |
//!
//! `{list}` is `FEED`, `N#{box}` for the national admins' boxes or `A#{agency}#{box}` for an
//! agency's; which lists hold a report is decided once, in `lapor_domain::worklist::listings`.
//! An audience key is `user:{id}`, `report:{id}`, `agency:{id}`, `admins:{agency id}` or
//! `admins:national` (`lapor_app::Audience::key`); a reader is the audience key of one person.
//!
//! # Access patterns: each one request
//!
//! | use | request |
//! | --- | --- |
//! | load a report and its timeline by tracking id | Query `pk = R#t AND begins_with(sk, "R")`, consistent |
//! | load by report id | GetItem `I#id`, then the Query above |
//! | submit | TransactWriteItems: state (tracking id not taken), id pointer, entries, outbox, list entries, idempotency record (key not taken) |
//! | act on a report | TransactWriteItems: state (`v` = the version read), entries, outbox, list entries put and removed |
//! | access code check | GetItem state, projected to `id, code` |
//! | idempotent retry | GetItem `K#scope` |
//! | public feed, a work-list box | Query `list` on `gpk = {list}`, newest first, from the cursor |
//! | work-list counts | one Query of `due` per box (`Select = COUNT`; the overdue filter counts the late ones, `ScannedCount` all) |
//! | unsent outbox | Query `list` on `gpk = OUTBOX`, oldest first |
//! | mark an outbox message sent | UpdateItem `REMOVE gpk, gsk` if the item exists (it leaves the index; marking twice changes nothing) |
//! | deliver an in-app notification once | Put `N#{audience}` / `{id}` if `attribute_not_exists(pk)` (a redelivered message fails the condition: not new) |
//! | a reader's notifications | one Query per audience (2–3), `ScanIndexForward = false`, `sk < {before}` when paging, merged newest first |
//! | mark read | BatchWriteItem of `M#{reader}` / `{id}` (25 a request) |
//! | which are read | BatchGetItem of `M#{reader}` / `{id}` for the page's ids, consistent |
//! | webhook delivery done? | GetItem `W#{key}`, consistent; recorded by a Put |
//! | webhook delivery failed again | UpdateItem `F#{key}` ADD 1, answering the count |
//! | a job pass: the reports due by now | Query `due` on `dpk = J#{job} AND dsk <= {now}#~` (from the last position seen, paged), then each report as above |
//! | store a report's agenda alone | TransactWriteItems: condition check on the state's `v`, agenda entries put or deleted |
//! | sign in | GetItem `L#login` (the user's record is copied there) |
//! | register | TransactWriteItems: user, e-mail login, phone login (each not taken) |
//! | any user yet? | Query `list` on `gpk = USERS`, limit 1 |
//! | agencies | GetItem `A#id`; Query `list` on `gpk = AGENCIES` after an id; conditional Put on `v` |
//! | throttle | UpdateItem in the current window, or a conditional Put starting a new one |
//! | upload record | conditional Put; GetItem, consistent; claimed inside the report's transaction (exists, no `report` yet) |
//!
//! `J#deadline-check` and `J#auto-close` are one partition each: every write of an open report
//! rewrites its entries there, far below a partition's 1,000 writes a second for a national
//! load (hundreds of reports a day); the jobs read only what is due. No Scan anywhere. The `list` index is eventually consistent: a list may miss a change made
//! a moment ago, never a report's own page, which reads the table itself.
//!
//! # Costs
//!
//! List entries carry the report's document so that a page is one Query; the documents are
//! compact JSON. That makes writes the cost that matters: a change rewrites the report's state
//! and each list entry it is in (twice the units, inside a transaction), and the `list` index
//! copies each entry. `cargo run -p lapor-tests --bin cost-report` meters one typical lifecycle
//! step by step on moto and prices it. Idempotency records and throttle counters carry an
//! `expires` time and expire by themselves, and so do webhook delivery marks.
//!
//! # Notifications
//!
//! The outbox messages written with each change are relayed to an SQS queue ([`SqsQueue`]: the
//! notifier Lambda consumes it; what it fails 5 times goes to a dead-letter queue) and as
//! integration events to an EventBridge bus ([`EventBridgeBus`]); a message leaves the outbox
//! only when both accepted it. Both answer the ids accepted, entry by entry.

mod access_codes;
mod accounts;
mod agenda;
mod attachments;
mod blobs;
mod bus;
mod capacity;
mod categories;
mod error;
mod idempotency;
mod item;
mod keys;
mod lists;
mod meter;
mod notifications;
mod outbox;
mod queue;
mod ratings;
mod reports;
mod sessions;
mod table;
#[cfg(feature = "moto")]
pub mod testing;
mod throttle;
pub mod timeouts;
mod write;

pub use blobs::S3Blobs;
pub use bus::{EventBridgeBus, SOURCE};
pub use error::CreateError;
pub use meter::{Meter, Readings};
pub use queue::SqsQueue;
pub use timeouts::timeouts;

use aws_sdk_dynamodb::Client;

/// Every store of lapor on one DynamoDB table.
#[derive(Clone, Debug)]
pub struct Dynamo {
    client: Client,
    table: String,
}

impl Dynamo {
    /// The stores on `table`, through `client`.
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    /// A client of the AWS environment in `config` (region, endpoint, credentials, and the
    /// HTTPS client it shares with the other SDK clients built from it).
    pub fn from_config(config: &aws_config::SdkConfig, table: impl Into<String>) -> Self {
        Self::new(Client::new(config), table)
    }

    pub fn table(&self) -> &str {
        &self.table
    }
}
