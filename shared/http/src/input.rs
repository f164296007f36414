//! Reading requests: JSON bodies (400 when unreadable, 415 when not JSON, 413 when too large),
//! fields parsed one by one into domain types with every error collected (422), and query
//! strings.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use lapor_domain::FieldError;
use serde_json::{Map, Value};

use crate::problem::Problem;

/// The one segment a route captures. A segment that is not valid percent-encoded UTF-8 names
/// nothing: 404, like any unknown id.
#[derive(Debug)]
pub struct PathSegment(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathSegment {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(segment)| Self(segment))
            .map_err(|_| Problem::not_found())
    }
}

/// A JSON object body, and its raw bytes (for idempotency hashes). An empty body reads as `{}`.
#[derive(Debug)]
pub struct JsonBody {
    /// The object sent.
    pub object: Map<String, Value>,
    /// The bytes as sent.
    pub raw: Bytes,
}

impl JsonBody {
    /// Reads a body as the routes do, from its `Content-Type` header (if any) and its bytes:
    /// blank reads as `{}`, and anything else must be a JSON object sent as JSON. Apart from the
    /// extractor so that it can be tested, and fuzzed, without a request.
    pub fn parse(content_type: Option<&str>, raw: Bytes) -> Result<Self, Problem> {
        if raw.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self {
                object: Map::new(),
                raw,
            });
        }
        let is_json = content_type
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .is_some_and(|t| t == "application/json" || t.ends_with("+json"));
        if !is_json {
            return Err(Problem::not_json());
        }
        match serde_json::from_slice::<Value>(&raw) {
            Ok(Value::Object(object)) => Ok(Self { object, raw }),
            Ok(_) => Err(Problem::bad_request("the body must be a JSON object")),
            Err(e) => Err(Problem::bad_request(format!(
                "the body is not valid JSON: {e}"
            ))),
        }
    }
}

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let raw = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Problem::too_large()
            } else {
                Problem::bad_request("the body could not be read")
            }
        })?;
        Self::parse(content_type.as_deref(), raw)
    }
}

/// Reads the fields of a JSON object one by one, collecting every error with its path.
pub struct Fields<'a> {
    object: &'a Map<String, Value>,
    prefix: String,
    errors: Vec<FieldError>,
}

impl<'a> Fields<'a> {
    /// Starts reading an object.
    pub fn new(object: &'a Map<String, Value>) -> Self {
        Self {
            object,
            prefix: String::new(),
            errors: Vec::new(),
        }
    }

    fn path(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// Records an error on a field.
    pub fn error(&mut self, name: &str, message: impl Into<String>) {
        let field = self.path(name);
        self.errors.push(FieldError::new(field, message));
    }

    /// True when the field is present and not null.
    pub fn has(&self, name: &str) -> bool {
        self.value(name).is_some()
    }

    /// A present, non-null value.
    fn value(&self, name: &str) -> Option<&'a Value> {
        self.object.get(name).filter(|v| !v.is_null())
    }

    /// A field of one JSON type: `read` gives `None` for another type (the error `expected`),
    /// or the parse result; `required` makes absence an error.
    fn field<T>(
        &mut self,
        name: &str,
        required: bool,
        expected: &str,
        read: impl FnOnce(&'a Value) -> Option<Result<T, String>>,
    ) -> Option<T> {
        let Some(value) = self.value(name) else {
            if required {
                self.error(name, "is required");
            }
            return None;
        };
        match read(value) {
            Some(Ok(v)) => Some(v),
            Some(Err(message)) => {
                self.error(name, message);
                None
            }
            None => {
                self.error(name, expected);
                None
            }
        }
    }

    /// A string field parsed by `parse`; `required` makes absence an error.
    pub fn text<T>(
        &mut self,
        name: &str,
        required: bool,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        self.field(name, required, "must be a string", |v| {
            v.as_str().map(parse)
        })
    }

    /// A boolean field; absent gives `default` (`None`: required).
    pub fn boolean(&mut self, name: &str, default: Option<bool>) -> Option<bool> {
        if default.is_none() && self.value(name).is_none() {
            self.error(name, "is required (true or false)");
            return None;
        }
        self.optional_boolean(name).or(default)
    }

    /// An optional boolean field.
    pub fn optional_boolean(&mut self, name: &str) -> Option<bool> {
        self.field(name, false, "must be true or false", |v| {
            v.as_bool().map(Ok)
        })
    }

    /// A number field parsed by `parse`.
    pub fn number<T>(
        &mut self,
        name: &str,
        required: bool,
        parse: impl FnOnce(f64) -> Result<T, String>,
    ) -> Option<T> {
        self.field(name, required, "must be a number", |v| {
            v.as_f64().map(parse)
        })
    }

    /// A whole-number field parsed by `parse`.
    pub fn integer<T>(
        &mut self,
        name: &str,
        required: bool,
        parse: impl FnOnce(i64) -> Result<T, String>,
    ) -> Option<T> {
        self.field(name, required, "must be a whole number", |v| {
            v.as_i64().map(parse)
        })
    }

    /// A list of strings, each parsed by `parse`; absent is empty.
    pub fn list<T>(
        &mut self,
        name: &str,
        max: usize,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Vec<T> {
        let Some(value) = self.value(name) else {
            return Vec::new();
        };
        let Value::Array(items) = value else {
            self.error(name, "must be a list of strings");
            return Vec::new();
        };
        if items.len() > max {
            self.error(name, format!("must have at most {max} items"));
            return Vec::new();
        }
        let mut parsed = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.as_str().map(&parse) {
                Some(Ok(v)) => parsed.push(v),
                Some(Err(message)) => self.error(&format!("{name}[{i}]"), message),
                None => self.error(&format!("{name}[{i}]"), "must be a string"),
            }
        }
        parsed
    }

    /// A nested object read by `read`; `required` makes absence an error.
    pub fn object<T>(
        &mut self,
        name: &str,
        required: bool,
        read: impl FnOnce(&mut Fields<'a>) -> Option<T>,
    ) -> Option<T> {
        match self.value(name) {
            None => {
                if required {
                    self.error(name, "is required");
                }
                None
            }
            Some(Value::Object(inner)) => {
                let mut nested = Fields {
                    object: inner,
                    prefix: format!("{}.", self.path(name)),
                    errors: Vec::new(),
                };
                let value = read(&mut nested);
                self.errors.append(&mut nested.errors);
                value
            }
            Some(_) => {
                self.error(name, "must be an object");
                None
            }
        }
    }

    /// How many errors were recorded so far.
    pub fn error_count(&self) -> usize {
        self.errors.len()
    }

    /// True when no error was recorded so far.
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// The collected errors as a 422, or the value when there were none.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, Problem> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ if self.errors.is_empty() => Err(Problem::invalid(vec![FieldError::new(
                "body",
                "is incomplete",
            )])),
            _ => Err(Problem::invalid(self.errors)),
        }
    }
}

/// The query string as a map (the last value of a repeated name wins).
#[derive(Debug, Default)]
pub struct QueryMap(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for QueryMap {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        let query = parts.uri.query().unwrap_or("");
        Ok(Self(
            form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect(),
        ))
    }
}

impl QueryMap {
    /// A non-empty parameter.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// `limit`: default 20, at most 100 (larger values are lowered to 100).
    pub fn limit(&self) -> Result<usize, Problem> {
        match self.get("limit") {
            None => Ok(20),
            // An i64, as the document's `limit` (`format: int64`): what it calls a valid number
            // is taken, what it calls too large is refused.
            Some(raw) => match raw.parse::<i64>() {
                Ok(n) if n >= 1 => Ok(n.min(100) as usize),
                _ => Err(Problem::invalid(vec![FieldError::new(
                    "limit",
                    "must be a whole number, 1 or more (more than 100 is read as 100)",
                )])),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(content_type: Option<&str>, body: &str) -> Result<JsonBody, Problem> {
        JsonBody::parse(content_type, Bytes::from(body.to_string()))
    }

    #[test]
    fn only_json_is_read_and_blank_is_empty() {
        assert!(read(None, " \n").unwrap().object.is_empty());
        assert_eq!(read(None, "{}").unwrap_err().status, 415);
        assert_eq!(read(Some("text/plain"), "{}").unwrap_err().status, 415);
        let object = read(
            Some("Application/Problem+JSON; charset=utf-8"),
            r#"{"a": 1}"#,
        );
        assert_eq!(object.unwrap().object["a"], 1);
        assert_eq!(
            read(Some("application/json"), "[1]").unwrap_err().status,
            400
        );
    }

    /// Found by the fuzz target `json_body`: without serde_json's `float_roundtrip`, `1e-30`
    /// read as 9.999999999999999e-31, so a number was stored (and answered) as another.
    #[test]
    fn a_number_reads_as_the_nearest_float_and_writes_back_the_same() {
        for text in [
            "1e-30",
            "-6.9175",
            "107.61910000000001",
            "2.2250738585072014e-308",
        ] {
            let body = read(Some("application/json"), &format!(r#"{{"n": {text}}}"#)).unwrap();
            let expected: f64 = text.parse().unwrap();
            assert_eq!(body.object["n"].as_f64(), Some(expected), "{text}");
            let again = Value::Object(body.object.clone()).to_string();
            let back = read(Some("application/json"), &again).unwrap();
            assert_eq!(back.object, body.object, "{text}");
        }
    }
}
