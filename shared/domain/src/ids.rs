//! Identifiers. Each is parsed once at the edge and cannot hold an invalid value.

use serde::{Deserialize, Serialize};
use std::fmt;
use ulid::Ulid;

macro_rules! ulid_id {
    ($(#[doc = $doc:literal])* $name:ident) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        serde_by_parse!($name, String, |raw: String| Self::parse(&raw));
        schema_by_hand!($name, crate::schema::ulid(concat!($($doc),*)));

        impl $name {
            /// Wraps a freshly generated ULID.
            pub fn from_ulid(ulid: Ulid) -> Self {
                Self(ulid.to_string())
            }

            /// Parses a ULID given by a client (case-insensitive).
            pub fn parse(raw: &str) -> Result<Self, String> {
                Ulid::from_string(raw.trim())
                    .map(Self::from_ulid)
                    .map_err(|_| "must be an identifier issued by this service".to_string())
            }

            /// The canonical text form.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

ulid_id!(
    /// The internal id of a report.
    ReportId
);
ulid_id!(
    /// The id of a user account.
    UserId
);
ulid_id!(
    /// The id of an agency (instansi or unit).
    AgencyId
);
ulid_id!(
    /// The id of a timeline entry.
    EntryId
);
ulid_id!(
    /// The id of a "not our authority" request.
    RequestId
);
ulid_id!(
    /// The id of an uploaded attachment.
    AttachmentId
);

/// The public short code of a report, printed as `#5032082`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TrackingId(String);

serde_by_parse!(TrackingId, String, |raw: String| Self::parse(&raw));
schema_by_hand!(
    TrackingId,
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .pattern(Some("^[1-9][0-9]{3,11}$"))
        .description(Some(
            "The public short code of a report: 4 to 12 digits, printed as `#12345678`."
        ))
        .examples([serde_json::json!("12345678")])
        .build()
);

impl TrackingId {
    /// The smallest and largest numbers handed out: eight digits, never a leading zero.
    pub const RANGE: std::ops::RangeInclusive<u64> = 10_000_000..=99_999_999;

    /// Makes a tracking id from a number drawn in [`TrackingId::RANGE`].
    pub fn from_number(n: u64) -> Self {
        Self(n.to_string())
    }

    /// Parses what a person types: digits, with or without the leading `#`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let digits = raw.trim().trim_start_matches('#');
        let well_formed = (4..=12).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0');
        if well_formed {
            Ok(Self(digits.to_string()))
        } else {
            Err("must be a tracking id such as #12345678".to_string())
        }
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TrackingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_ids_accept_the_printed_form() {
        assert_eq!(TrackingId::parse("#5032082").unwrap().as_str(), "5032082");
        assert_eq!(
            TrackingId::parse(" 12345678 ").unwrap().as_str(),
            "12345678"
        );
        for bad in ["", "#", "12a45678", "0123456", "123", "1234567890123"] {
            assert!(TrackingId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ulid_ids_reject_anything_else() {
        assert!(ReportId::parse("01ARZ3NDEKTSV4RRFFQ69G5FAV").is_ok());
        assert!(ReportId::parse("not-an-id").is_err());
        assert!(AgencyId::parse("../../etc/passwd").is_err());
    }
}
