//! The rules of lapor, free of I/O: what a report is, how its lifecycle moves, who may see and do
//! what, how input is validated and how working days are counted.
//!
//! Every action on a report is one `decide` function in [`actions`]:
//! `(report, actor, command, context) -> Result<Vec<Event>, Violation>`. The events are recorded
//! as timeline [`Entry`]s and folded into the report by [`Report::apply`]; the app stores both in
//! one atomic write.

pub mod actions;
pub mod actor;
pub mod agency;
pub mod attachment;
pub mod calendar;
pub mod event;
pub mod fields;
pub mod ids;
pub mod jobs;
pub mod lifecycle;
pub mod notify;
pub mod permissions;
pub mod report;
pub mod view;
pub mod violation;

pub use actor::{Actor, Person, Role};
pub use agency::{Agency, AgencyPath, AgencyRef};
pub use calendar::{Calendar, Zone};
pub use event::{Entry, Event};
pub use ids::{AgencyId, AttachmentId, EntryId, ReportId, RequestId, TrackingId, UserId};
pub use report::{Report, Status};
pub use violation::{FieldError, Violation};
