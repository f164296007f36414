//! Input fields parsed into types that cannot hold an invalid value. Each parser returns the
//! message a person needs to fix the input; the edge attaches the field's name.

use serde::{Deserialize, Serialize};
use time::{Date, Month};
use unicode_normalization::UnicodeNormalization;

/// Free text as a person sent it, in the one form lapor keeps: Unicode NFC (so one text has one
/// form whichever keyboard or system wrote it, and lengths and searches agree), trimmed.
pub(crate) struct PlainText {
    /// The text, NFC and trimmed.
    pub(crate) text: String,
    /// How many of its characters show: the invisible ones, and the whitespace they leave at
    /// either end, do not count.
    pub(crate) visible: usize,
}

/// The rule every text a person sends goes through, the text fields below and the names of
/// attached files alike: normalised to NFC and trimmed; refused when it holds a bidirectional
/// control, or when it is made of invisible characters only (it would look empty, or spoof an
/// empty name). Invisible characters inside visible text stay: they have their uses there.
pub(crate) fn plain_text(raw: &str) -> Result<PlainText, String> {
    let text: String = raw.nfc().collect::<String>().trim().to_string();
    if text.chars().any(is_bidi_control) {
        return Err("must not contain bidirectional control characters".to_string());
    }
    let shown: String = text.chars().filter(|c| !is_invisible(*c)).collect();
    let visible = shown.trim().chars().count();
    if visible == 0 && !text.is_empty() {
        return Err("must not be empty (invisible characters do not count)".to_string());
    }
    Ok(PlainText { text, visible })
}

/// The bidirectional embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO; LRI, RLI,
/// FSI, PDI): each reorders how the text after it is shown until its run ends, so "gnp.exe"
/// with an override shows as "exe.png", and a name can show as another's ("Trojan Source",
/// CVE-2021-42574). Plain text needs none of them: the Unicode bidi algorithm lays out Arabic
/// script and Latin side by side by itself. The marks LRM, RLM and ALM (U+200E, U+200F, U+061C)
/// are allowed: they open no run, only set the direction of the neutral characters (spaces,
/// punctuation, digits) beside them, so they cannot move letters; and text written in Arabic
/// script (Jawi, Pegon) next to Latin needs them to show its punctuation and numbers right.
/// They count as invisible.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that show nothing and take no room, so text made of them alone looks empty: the
/// Unicode property Default_Ignorable_Code_Point (what a renderer shows as nothing; the bidi
/// controls in it are refused before this is asked), and the blank braille pattern U+2800,
/// which is not ignorable but draws as blank and is the usual way to fake an empty name.
/// Whitespace is not here: trimming takes it from either end, and between words it counts.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' // soft hyphen
            | '\u{034F}' // combining grapheme joiner
            | '\u{061C}' // Arabic letter mark
            | '\u{115F}' | '\u{1160}' // Hangul choseong and jungseong fillers
            | '\u{17B4}' | '\u{17B5}' // Khmer inherent vowels
            | '\u{180B}'..='\u{180F}' // Mongolian variation selectors and vowel separator
            | '\u{200B}'..='\u{200F}' // zero-width space, non-joiner, joiner; LRM, RLM
            | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{206F}' // word joiner, invisible operators, isolates, old controls
            | '\u{2800}' // braille pattern blank
            | '\u{3164}' // Hangul filler
            | '\u{FE00}'..='\u{FE0F}' // variation selectors
            | '\u{FEFF}' // byte order mark (zero-width no-break space)
            | '\u{FFA0}' // halfwidth Hangul filler
            | '\u{FFF0}'..='\u{FFF8}' // reserved specials
            | '\u{1BCA0}'..='\u{1BCA3}' // shorthand format controls
            | '\u{1D173}'..='\u{1D17A}' // musical symbol format controls
            | '\u{E0000}'..='\u{E0FFF}' // tags, variation selectors supplement
    )
}

/// The rule of every free-text field: [`plain_text`], at least `min` visible characters and
/// at most `max` characters in all, and no control characters (line breaks and tabs excepted).
fn bounded_text(raw: &str, min: usize, max: usize) -> Result<String, String> {
    let PlainText { text, visible } = plain_text(raw)?;
    if visible < min {
        return Err(if min <= 1 {
            "must not be empty".to_string()
        } else {
            format!("must be at least {min} characters long")
        });
    }
    if text.chars().count() > max {
        return Err(format!("must be at most {max} characters long"));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err("must not contain control characters".to_string());
    }
    Ok(text)
}

macro_rules! text_field {
    ($(#[doc = $doc:literal])* $name:ident, $min:expr, $max:expr) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        serde_by_parse!($name, String, |raw: String| Self::parse(&raw));
        schema_by_hand!(
            $name,
            crate::schema::text(concat!($($doc),*), Self::MIN, Self::MAX)
        );

        impl $name {
            /// The fewest characters allowed.
            pub const MIN: usize = $min;
            /// The most characters allowed.
            pub const MAX: usize = $max;

            /// Parses text by the rule every text field shares, within this one's length.
            pub fn parse(raw: &str) -> Result<Self, String> {
                bounded_text(raw, Self::MIN, Self::MAX).map(Self)
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    };
}

text_field!(
    /// A report's title (judul).
    Title, 5, 150
);
text_field!(
    /// A report's body: the chronology of what happened (isi laporan).
    ReportBody, 20, 10_000
);
text_field!(
    /// A report's category (topic), such as `infrastruktur.jalan`.
    Category, 2, 100
);
text_field!(
    /// A place name in a location (province, regency, district, village).
    PlaceName, 2, 100
);
text_field!(
    /// A street address.
    Address, 1, 500
);
text_field!(PersonName, 1, 100);
text_field!(
    /// The reason an action needs (returning, archiving, reopening, "not our authority").
    Reason, 1, 2_000
);
text_field!(
    /// An optional note that goes with a disposition, forward or closing.
    Note, 1, 2_000
);
text_field!(
    /// The text of a follow-up, comment or reply.
    Message, 1, 10_000
);
text_field!(
    /// The comment that goes with a rating.
    RatingComment, 1, 2_000
);
text_field!(AgencyName, 2, 200);
text_field!(
    /// The name of an agency's standard reply (Templat jawaban).
    TemplateName, 1, 100
);
text_field!(
    /// An agency's profile text (description, address, contact).
    ProfileText, 1, 2_000
);

/// What kind of report it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    /// Pengaduan.
    Complaint,
    /// Aspirasi.
    Aspiration,
    /// Permintaan informasi.
    InformationRequest,
}

impl Classification {
    /// Parses `complaint`, `aspiration` or `information_request`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "complaint" => Ok(Self::Complaint),
            "aspiration" => Ok(Self::Aspiration),
            "information_request" => Ok(Self::InformationRequest),
            _ => Err("must be one of complaint, aspiration, information_request".to_string()),
        }
    }
}

/// The day the reported event happened: a real date, not in the future.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IncidentDate(Date);

schema_by_hand!(
    IncidentDate,
    crate::schema::formatted(
        crate::schema::date_format(),
        "The day it happened, `YYYY-MM-DD`: from 1945 on and not in the future (today as in \
         WIT, Indonesia's easternmost zone).",
        "2025-01-02",
    )
);

impl TryFrom<String> for IncidentDate {
    type Error = String;

    /// A stored date: a real date after 1945 (whether it was in the future was checked when it
    /// was sent).
    fn try_from(raw: String) -> Result<Self, String> {
        parse_iso_date(&raw)
            .filter(|date| date.year() >= 1945)
            .map(Self)
            .ok_or_else(|| "must be a date after 1945 written YYYY-MM-DD".to_string())
    }
}

impl From<IncidentDate> for String {
    fn from(date: IncidentDate) -> String {
        iso_date::format(date.0)
    }
}

impl IncidentDate {
    /// Parses `YYYY-MM-DD`, refusing dates after `today` and before 1945.
    pub fn parse(raw: &str, today: Date) -> Result<Self, String> {
        let date = parse_iso_date(raw).ok_or("must be a date written YYYY-MM-DD")?;
        if date > today {
            return Err("must not be in the future".to_string());
        }
        if date.year() < 1945 {
            return Err("must be a date after 1945".to_string());
        }
        Ok(Self(date))
    }

    pub fn date(&self) -> Date {
        self.0
    }
}

/// Parses a strict `YYYY-MM-DD` date.
pub fn parse_iso_date(raw: &str) -> Option<Date> {
    let mut parts = raw.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

/// Serde for dates written `YYYY-MM-DD`.
pub mod iso_date {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use time::Date;

    /// Writes `YYYY-MM-DD`.
    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(*date))
    }

    /// The date as `YYYY-MM-DD`.
    pub fn format(date: Date) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            date.year(),
            u8::from(date.month()),
            date.day()
        )
    }

    /// Reads `YYYY-MM-DD`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let raw = String::deserialize(d)?;
        super::parse_iso_date(&raw).ok_or_else(|| D::Error::custom("expected YYYY-MM-DD"))
    }
}

/// Latitude or longitude checks: Indonesia lies within these bounds (with a margin), so swapped
/// or mistyped coordinates are caught.
const LAT_RANGE: std::ops::RangeInclusive<f64> = -12.0..=7.0;
const LON_RANGE: std::ops::RangeInclusive<f64> = 94.0..=142.0;

/// Where it happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Location {
    /// Provinsi.
    pub province: PlaceName,
    /// Kabupaten / kota.
    pub regency: PlaceName,
    /// Kecamatan.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub district: Option<PlaceName>,
    /// Kelurahan / desa.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub village: Option<PlaceName>,
    /// Street address.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub address: Option<Address>,
    /// Latitude in degrees, within Indonesia; given with `lon` or not at all.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[cfg_attr(feature = "openapi", schema(minimum = -12.0, maximum = 7.0))]
    pub lat: Option<f64>,
    /// Longitude in degrees, within Indonesia; given with `lat` or not at all.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 94.0, maximum = 142.0))]
    pub lon: Option<f64>,
    /// The official codes of its regions (Kemendagri), as deep as they are known: given, or
    /// found from the names. Reports stored before codes have none.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub codes: Option<RegionCodes>,
}

/// The codes of a location's regions (Kemendagri: `32`, `32.73`, `32.73.01`, `32.73.01.1001`),
/// each within the one above.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionCodes {
    /// Provinsi, such as `32`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub province: Option<String>,
    /// Kabupaten / kota, such as `32.73`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub regency: Option<String>,
    /// Kecamatan, such as `32.73.01`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub district: Option<String>,
    /// Kelurahan / desa, such as `32.73.01.1001`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub village: Option<String>,
}

/// Checks a latitude.
pub fn parse_lat(value: f64) -> Result<f64, String> {
    LAT_RANGE
        .contains(&value)
        .then_some(value)
        .ok_or_else(|| "must be a latitude within Indonesia (-12 to 7)".to_string())
}

/// Checks a longitude.
pub fn parse_lon(value: f64) -> Result<f64, String> {
    LON_RANGE
        .contains(&value)
        .then_some(value)
        .ok_or_else(|| "must be a longitude within Indonesia (94 to 142)".to_string())
}

/// An e-mail address, stored lower-case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

serde_by_parse!(Email, String, |raw: String| Self::parse(&raw));
schema_by_hand!(Email, {
    let mut schema = crate::schema::formatted(
        utoipa::openapi::schema::SchemaFormat::Custom("email".into()),
        "An e-mail address with a dotted domain, at most 254 characters; kept lower-case.",
        "siti@contoh.id",
    );
    schema.max_length = Some(254);
    schema
});

impl Email {
    /// Parses an address such as `siti@example.id`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let text = raw.trim().to_lowercase();
        let valid = text.len() <= 254
            && email_address::EmailAddress::parse_with_options(
                &text,
                email_address::Options::default().without_display_text(),
            )
            .is_ok()
            && text.rsplit('@').next().is_some_and(|d| d.contains('.'));
        if valid {
            Ok(Self(text))
        } else {
            Err("must be an e-mail address such as nama@contoh.id".to_string())
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A mobile phone number in international form (`+628…`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

serde_by_parse!(Phone, String, |raw: String| Self::parse(&raw));
schema_by_hand!(
    Phone,
    crate::schema::formatted(
        utoipa::openapi::schema::SchemaFormat::Custom("phone".into()),
        "A phone number written 0812…, 62812… or +62812… (spaces, dashes, dots and brackets \
         allowed): 9 to 15 digits in international form, which is how it is answered.",
        "+6281234567890",
    )
);

impl Phone {
    /// Parses `0812…`, `62812…` or `+62812…` (spaces and dashes allowed) into `+62812…`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let compact: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
            .collect();
        let digits = if let Some(rest) = compact.strip_prefix("+") {
            rest.to_string()
        } else if let Some(rest) = compact.strip_prefix('0') {
            format!("62{rest}")
        } else {
            compact
        };
        let valid = (9..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0');
        if valid {
            Ok(Self(format!("+{digits}")))
        } else {
            Err("must be a phone number such as 081234567890 or +6281234567890".to_string())
        }
    }

    /// The number, `+` and digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How to reach a reporter who has no account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    /// The reporter's name.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name: Option<PersonName>,
    /// An e-mail address.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub email: Option<Email>,
    /// A phone number.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub phone: Option<Phone>,
}

impl Contact {
    /// True when nothing was given.
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.email.is_none() && self.phone.is_none()
    }
}

/// A new password: long enough to resist guessing, short enough to hash cheaply.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

schema_by_hand!(Password, {
    let mut schema = crate::schema::formatted(
        utoipa::openapi::schema::SchemaFormat::KnownFormat(
            utoipa::openapi::schema::KnownFormat::Password,
        ),
        "A new password: not trimmed, spaces are part of a passphrase.",
        "kata-sandi-yang-panjang",
    );
    schema.min_length = Some(Password::MIN);
    schema.max_length = Some(Password::MAX);
    schema
});

impl Password {
    /// The fewest characters allowed.
    pub const MIN: usize = 10;
    /// The most characters allowed.
    pub const MAX: usize = 200;

    /// Checks the length; nothing is trimmed, spaces are part of a passphrase.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let length = raw.chars().count();
        if length < Self::MIN {
            Err(format!("must be at least {} characters long", Self::MIN))
        } else if length > Self::MAX {
            Err(format!("must be at most {} characters long", Self::MAX))
        } else {
            Ok(Self(raw.to_string()))
        }
    }

    /// The password, to be hashed and forgotten.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A rating of the agency's answer, one to five stars.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Stars(u8);

serde_by_parse!(Stars, u8, |raw: u8| Self::parse(i64::from(raw)));
schema_by_hand!(
    Stars,
    crate::schema::integer(
        1,
        5,
        "A rating of the agency's answer, one to five stars.",
        5
    )
);

impl Stars {
    /// Parses a whole number from 1 to 5.
    pub fn parse(value: i64) -> Result<Self, String> {
        u8::try_from(value)
            .ok()
            .filter(|s| (1..=5).contains(s))
            .map(Self)
            .ok_or_else(|| "must be a whole number from 1 to 5".to_string())
    }

    /// The number of stars.
    pub fn get(self) -> u8 {
        self.0
    }
}

/// A number of working days, as an agency configures its response deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct WorkingDays(u32);

serde_by_parse!(WorkingDays, u32, |raw: u32| Self::parse(i64::from(raw)));
schema_by_hand!(
    WorkingDays,
    crate::schema::integer(
        1,
        60,
        "A number of working days, as an agency's response deadline.",
        5
    )
);

impl WorkingDays {
    /// The default response deadline: 5 working days (seed 003).
    pub const RESPONSE_DEFAULT: Self = Self(5);
    /// Verification and first disposition: 3 working days (seed 003, seed 004).
    pub const VERIFICATION: Self = Self(3);
    /// Complete resolution: 60 working days (Perpres 76/2013).
    pub const RESOLUTION: Self = Self(60);
    /// Closing by itself: 10 quiet working days after the last follow-up (seed 003).
    pub const AUTO_CLOSE: Self = Self(10);

    /// Parses a whole number from 1 to 60.
    pub fn parse(value: i64) -> Result<Self, String> {
        u32::try_from(value)
            .ok()
            .filter(|d| (1..=60).contains(d))
            .map(Self)
            .ok_or_else(|| "must be a whole number of working days from 1 to 60".to_string())
    }

    /// The number of days.
    pub fn get(self) -> u32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn text_fields_trim_and_bound_their_length() {
        assert_eq!(
            Title::parse("  Jalan rusak  ").unwrap().as_str(),
            "Jalan rusak"
        );
        assert_eq!(
            Title::parse("abcd").unwrap_err(),
            "must be at least 5 characters long"
        );
        assert!(Title::parse(&"x".repeat(151)).is_err());
        assert!(
            Title::parse(&"é".repeat(150)).is_ok(),
            "counts characters, not bytes"
        );
        assert!(ReportBody::parse("short").is_err());
        assert!(Message::parse("   ").is_err());
        assert!(Title::parse("bad\u{0}title").is_err());
        assert!(Message::parse("line one\nline two").is_ok());
    }

    #[test]
    fn text_is_kept_in_nfc_and_measured_so() {
        assert_eq!(
            PersonName::parse("Jose\u{301}").unwrap().as_str(),
            "Jos\u{E9}"
        );
        let decomposed = "e\u{301}".repeat(150);
        assert_eq!(
            Title::parse(&decomposed).unwrap().as_str().chars().count(),
            150,
            "150 characters once composed"
        );
    }

    #[test]
    fn text_of_invisible_characters_only_is_empty() {
        let invisible = [
            "\u{200B}",
            "\u{200C}",
            "\u{200D}",
            "\u{2060}",
            "\u{FEFF}",
            "\u{00AD}",
            "\u{200E}",
            "\u{200F}",
            "\u{061C}",
            "\u{3164}",
            "\u{2800}",
            "\u{E0041}",
        ];
        for c in invisible {
            assert_eq!(
                Message::parse(&c.repeat(20)).unwrap_err(),
                "must not be empty (invisible characters do not count)",
                "{c:?}"
            );
        }
        assert!(Title::parse(&"\u{200B} \u{200B} ".repeat(10)).is_err());
        assert_eq!(
            Title::parse("abcd\u{200B}").unwrap_err(),
            "must be at least 5 characters long",
            "invisible characters do not count toward the minimum"
        );
        // Inside visible text they stay: they join emoji and shape scripts.
        for text in [
            "Keluarga \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}",
            "\u{2764}\u{FE0F} terima kasih",
            "Pem\u{00AD}be\u{00AD}ri\u{00AD}ta\u{00AD}hu\u{00AD}an",
        ] {
            assert_eq!(Message::parse(text).unwrap().as_str(), text);
        }
    }

    #[test]
    fn text_with_bidi_controls_is_refused_but_marks_are_kept() {
        for c in ('\u{202A}'..='\u{202E}').chain('\u{2066}'..='\u{2069}') {
            for refused in [
                PersonName::parse(&format!("Admin{c} Nasional")).unwrap_err(),
                Title::parse(&format!("Jalan rusak {c}parah")).unwrap_err(),
                AgencyName::parse(&format!("{c}Dinas")).unwrap_err(),
                Message::parse(&format!("Isi{c}")).unwrap_err(),
            ] {
                assert_eq!(
                    refused, "must not contain bidirectional control characters",
                    "{c:?}"
                );
            }
        }
        let mixed = "Pesan \u{200F}\u{644}\u{627}\u{67E}\u{648}\u{631}\u{200F} (laporan 12)";
        assert_eq!(Message::parse(mixed).unwrap().as_str(), mixed);
    }

    #[test]
    fn incident_dates_are_real_and_not_in_the_future() {
        let today = date!(2025 - 06 - 10);
        assert!(IncidentDate::parse("2025-06-10", today).is_ok());
        assert_eq!(
            IncidentDate::parse("2025-06-11", today).unwrap_err(),
            "must not be in the future"
        );
        for bad in [
            "2025-02-30",
            "2025-6-1",
            "10-06-2025",
            "",
            "2025-06-10T00:00",
        ] {
            assert!(IncidentDate::parse(bad, today).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones_are_normalised_to_international_form() {
        assert_eq!(
            Phone::parse("0812-3456-7890").unwrap().as_str(),
            "+6281234567890"
        );
        assert_eq!(
            Phone::parse("+62 812 3456 7890").unwrap().as_str(),
            "+6281234567890"
        );
        assert!(Phone::parse("12ab").is_err());
        assert!(Phone::parse("0812").is_err());
    }

    #[test]
    fn emails_are_checked_and_lowercased() {
        assert_eq!(
            Email::parse(" Siti@Example.ID ").unwrap().as_str(),
            "siti@example.id"
        );
        for bad in ["siti", "siti@", "@example.id", "siti@localhost", "a b@c.id"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_are_bounded() {
        assert!(Stars::parse(0).is_err());
        assert!(Stars::parse(6).is_err());
        assert_eq!(Stars::parse(5).unwrap().get(), 5);
        assert!(WorkingDays::parse(0).is_err());
        assert!(WorkingDays::parse(61).is_err());
        assert!(parse_lat(-6.2).is_ok());
        assert!(
            parse_lat(106.8).is_err(),
            "a longitude given as latitude is caught"
        );
        assert!(parse_lon(106.8).is_ok());
    }

    #[test]
    fn passwords_need_ten_characters_and_are_never_printed() {
        assert!(Password::parse("short").is_err());
        let p = Password::parse("correct horse battery").unwrap();
        assert_eq!(format!("{p:?}"), "Password(***)");
    }
}
