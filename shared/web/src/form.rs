//! What a form sent, and what was wrong with it: the error summary at the top of the page and
//! the message beside each field (UI.md, "Every page").

use std::collections::HashMap;

use lapor_domain::FieldError;

/// A form's fields as sent (`application/x-www-form-urlencoded`), the last value of each name,
/// trimmed; an empty value is no value.
#[derive(Clone, Debug, Default)]
pub struct Sent(HashMap<String, String>);

impl Sent {
    pub fn new(pairs: Vec<(String, String)>) -> Self {
        Self(pairs.into_iter().collect())
    }

    /// The value of a field, trimmed; `None` when absent or blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
    }

    /// The value exactly as sent, spaces kept (a password); `None` when absent or empty.
    pub fn get_untrimmed(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The value as typed, to show it again (empty when absent).
    pub fn typed(&self, name: &str) -> &str {
        self.0.get(name).map(String::as_str).unwrap_or_default()
    }

    /// A checkbox: ticked when sent.
    pub fn ticked(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }
}

/// One wrong field: the id of its input (the summary links to it) and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

/// The problems of a form, in the order of its fields.
#[derive(Clone, Debug, Default)]
pub struct Problems(Vec<Problem>);

impl Problems {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        if self.of(field).is_none() {
            self.0.push(Problem {
                field: field.to_string(),
                message: message.into(),
            });
        }
    }

    /// The problem of one field, for the message beside it.
    pub fn of(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Problem> {
        self.0.iter()
    }

    /// The API's field errors, each told in words of the form by `describe` (the field's id
    /// and message for an API field path, `None` for a field the form does not have, which is
    /// then told against `fallback`).
    pub fn from_api(
        errors: &[FieldError],
        fallback: &str,
        describe: impl Fn(&FieldError) -> Option<(&'static str, String)>,
    ) -> Self {
        let mut problems = Self::default();
        for error in errors {
            match describe(error) {
                Some((field, message)) => problems.add(field, message),
                None => problems.add(fallback, "Periksa kembali isian formulir ini."),
            }
        }
        problems
    }
}
