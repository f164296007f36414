//! The OpenAPI schemas of the parsed types (the `openapi` feature), built from the same bounds
//! their parsers check, so the document lapor-http serves cannot drift from the rules.

use serde_json::json;
use utoipa::openapi::schema::{KnownFormat, Object, ObjectBuilder, SchemaFormat, Type};

/// Free text of `min` to `max` characters counted once trimmed, as every text field checks;
/// `doc` is the type's own doc comment.
pub fn text(doc: &str, min: usize, max: usize) -> Object {
    let rule = format!(
        "{min} to {max} characters once trimmed, kept in Unicode NFC; invisible characters \
         (zero-width spaces and joiners, soft hyphens, byte order marks...) do not count toward \
         the minimum. No control characters but line breaks and tabs, and no bidirectional \
         controls (U+202A to U+202E, U+2066 to U+2069)."
    );
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(min))
        .max_length(Some(max))
        .pattern(Some(without_controls("")))
        .description(Some(join(doc, &rule)))
        .build()
}

/// The control characters free text may not hold (line breaks and tabs may be), as ranges.
const CONTROLS: [(char, char); 4] = [
    ('\u{0}', '\u{8}'),
    ('\u{b}', '\u{c}'),
    ('\u{e}', '\u{1f}'),
    ('\u{7f}', '\u{9f}'),
];

/// The bidirectional controls no text may hold, as ranges (`fields::is_bidi_control`).
const BIDI_CONTROLS: [(char, char); 2] = [('\u{202a}', '\u{202e}'), ('\u{2066}', '\u{2069}')];

/// A pattern refusing those control characters, the bidirectional controls, and the characters
/// of `also`.
pub fn without_controls(also: &str) -> String {
    let ranges: String = CONTROLS
        .iter()
        .chain(&BIDI_CONTROLS)
        .map(|(from, to)| format!("\\u{:04X}-\\u{:04X}", u32::from(*from), u32::from(*to)))
        .collect();
    format!("^[^{ranges}{also}]*$")
}

/// A ULID in Crockford's base 32, as the parser reads it (either case).
pub const ULID_PATTERN: &str = "^[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$";

/// An identifier this service issued (a ULID, 26 characters); `doc` says what it names.
pub fn ulid(doc: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::Custom("ulid".into())))
        .min_length(Some(26))
        .max_length(Some(26))
        .pattern(Some(ULID_PATTERN))
        .description(Some(join(doc, "A ULID issued by this service.")))
        .examples([json!("01JDF5M00000000000000002R1")])
        .build()
}

/// A type's doc comment (as `concat!` of its `#[doc]` lines gives it), then a rule.
fn join(doc: &str, rule: &str) -> String {
    let doc = doc.split_whitespace().collect::<Vec<_>>().join(" ");
    if doc.is_empty() {
        rule.to_string()
    } else {
        format!("{doc} {rule}")
    }
}

/// A whole number from `min` to `max`.
pub fn integer(min: i64, max: i64, description: &str, example: i64) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(min))
        .maximum(Some(max))
        .description(Some(description))
        .examples([json!(example)])
        .build()
}

/// A string of a known format, such as `email` or `date`.
pub fn formatted(format: SchemaFormat, description: &str, example: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(format))
        .description(Some(description))
        .examples([json!(example)])
        .build()
}

/// The format of a date written `YYYY-MM-DD`.
pub fn date_format() -> SchemaFormat {
    SchemaFormat::KnownFormat(KnownFormat::Date)
}

/// One of a few words.
pub fn words(values: &[&str], description: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.iter().copied()))
        .description(Some(description))
        .build()
}

#[cfg(test)]
mod tests {
    use serde_json::Value;
    use utoipa::PartialSchema;

    use crate::fields::{Location, Stars, WorkingDays, parse_lat, parse_lon};

    fn json<T: PartialSchema>() -> Value {
        serde_json::to_value(T::schema()).unwrap()
    }

    fn bounds(schema: &Value) -> (f64, f64) {
        let number = |key: &str| schema[key].as_f64().unwrap_or_else(|| panic!("{key}"));
        (number("minimum"), number("maximum"))
    }

    /// A schema's bounds are the parser's: the bounds pass, a step beyond them does not.
    fn same_bounds(schema: &Value, step: f64, accepts: impl Fn(f64) -> bool) {
        let (min, max) = bounds(schema);
        assert!(accepts(min) && accepts(max), "{schema}");
        assert!(!accepts(min - step) && !accepts(max + step), "{schema}");
    }

    #[test]
    fn the_schemas_state_the_parsers_bounds() {
        same_bounds(&json::<Stars>(), 1.0, |v| Stars::parse(v as i64).is_ok());
        same_bounds(&json::<WorkingDays>(), 1.0, |v| {
            WorkingDays::parse(v as i64).is_ok()
        });
        let location = json::<Location>();
        same_bounds(&location["properties"]["lat"], 0.01, |v| {
            parse_lat(v).is_ok()
        });
        same_bounds(&location["properties"]["lon"], 0.01, |v| {
            parse_lon(v).is_ok()
        });
        assert_eq!(
            location["required"],
            serde_json::json!(["province", "regency"])
        );
    }

    /// The characters of the pattern's one class, `^[...]`.
    fn class(pattern: &str) -> Vec<char> {
        let (class, _) = pattern
            .strip_prefix("^[")
            .and_then(|p| p.split_once(']'))
            .unwrap();
        let chars: Vec<char> = class.chars().collect();
        let (mut found, mut i) = (Vec::new(), 0);
        while i < chars.len() {
            if chars.get(i + 1) == Some(&'-') {
                found.extend(chars[i]..=chars[i + 2]);
                i += 3;
            } else {
                found.push(chars[i]);
                i += 1;
            }
        }
        found
    }

    /// True when the pattern's ranges hold `c`.
    fn in_ranges(c: char) -> bool {
        super::CONTROLS
            .iter()
            .chain(&super::BIDI_CONTROLS)
            .any(|(from, to)| (*from..=*to).contains(&c))
    }

    /// The characters the patterns are checked on: Latin-1 with its controls, and the block of
    /// general punctuation with the zero-width and bidirectional characters.
    fn checked_characters() -> impl Iterator<Item = char> {
        (0u32..0x100)
            .chain(0x2000..0x2070)
            .filter_map(char::from_u32)
    }

    #[test]
    fn text_patterns_refuse_the_control_characters_the_parsers_refuse() {
        for c in checked_characters() {
            let refused = in_ranges(c);
            let text = format!("abcde{c}fghij");
            assert_eq!(
                crate::fields::Title::parse(&text).is_err(),
                refused,
                "{c:?}"
            );
        }
        assert_eq!(
            super::without_controls("/"),
            "^[^\\u0000-\\u0008\\u000B-\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069/]*$"
        );
    }

    #[test]
    fn the_file_name_pattern_refuses_what_the_parser_refuses() {
        let schema = json::<crate::attachment::FileName>();
        let also = ['\t', '\n', '\r', '/', '\\', '"'];
        assert!(
            schema["pattern"]
                .as_str()
                .unwrap()
                .ends_with(r#"\t\n\r/\\"]*$"#)
        );
        for c in checked_characters() {
            let refused = also.contains(&c) || in_ranges(c);
            let name = format!("foto{c}.png");
            assert_eq!(
                crate::attachment::FileName::parse(&name).is_err(),
                refused,
                "{c:?}"
            );
        }
    }

    #[test]
    fn the_ulid_pattern_is_the_parsers_alphabet() {
        let allowed = class(super::ULID_PATTERN);
        for c in (0u8..128).map(char::from).filter(|c| !c.is_whitespace()) {
            let id = format!("0{c}{}", "0".repeat(24));
            let parses = crate::ReportId::parse(&id).is_ok();
            assert_eq!(parses, allowed.contains(&c), "{c:?}");
        }
        assert!(super::ULID_PATTERN.ends_with("]{26}$"));
    }
}
