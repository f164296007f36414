//! The rules of lapor, free of I/O: what a report is, how its lifecycle moves, who may see and do
//! what, how input is validated and how working days are counted.
//!
//! Every action on a report is one `decide` function in [`actions`]:
//! `(report, actor, command, context) -> Result<Vec<Event>, Violation>`, allowed by the table in
//! [`lifecycle`]. A [`draft::Draft`] records the events as timeline [`Entry`]s, folds them into
//! the report and names who hears of each; the app stores all of it in one atomic write.

/// Serde through a type's parser: a value, sent or stored, that breaks the type's rules does not
/// load (a stored `Stars(9)` is an error, not a rating). `$raw` is the form on the wire.
macro_rules! serde_by_parse {
    ($name:ident, $raw:ty, $parse:expr) => {
        impl TryFrom<$raw> for $name {
            type Error = String;

            fn try_from(raw: $raw) -> Result<Self, String> {
                ($parse)(raw)
            }
        }

        impl From<$name> for $raw {
            fn from(value: $name) -> $raw {
                value.0
            }
        }
    };
}

/// `utoipa::ToSchema` by hand, for the OpenAPI document of lapor-http (the `openapi` feature):
/// the types serde reads through their parser, whose rules (lengths, ranges) a derive cannot see.
/// `$schema` builds the schema, with the helpers of [`schema`]; without the feature, nothing.
#[cfg(feature = "openapi")]
macro_rules! schema_by_hand {
    ($name:ident, $schema:expr) => {
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::Schema::Object($schema).into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

#[cfg(not(feature = "openapi"))]
macro_rules! schema_by_hand {
    ($name:ident, $schema:expr) => {};
}

pub mod actions;
pub mod actor;
pub mod agency;
pub mod attachment;
pub mod calendar;
pub mod category;
pub mod destinations;
pub mod draft;
pub mod event;
pub mod fields;
pub mod ids;
pub mod jobs;
pub mod lifecycle;
pub mod notify;
pub mod permissions;
pub mod photo;
pub mod rating;
pub mod record;
pub mod report;
pub mod schedule;
#[cfg(feature = "openapi")]
pub mod schema;
pub mod view;
pub mod violation;
pub mod worklist;

pub use actor::{Actor, Person, Role};
pub use agency::{Agency, AgencyPath, AgencyRef};
pub use calendar::{Calendar, Zone};
pub use event::{Entry, Event, EventKind};
pub use ids::{AgencyId, AttachmentId, EntryId, ReportId, RequestId, TrackingId, UserId};
pub use report::{Report, Status};
pub use violation::{FieldError, Violation};
