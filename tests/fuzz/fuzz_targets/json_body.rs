//! A request body as the routes read it: the JSON body extractor, then the submission and upload
//! readers through the domain's field parsers. Besides never panicking:
//! - only JSON is read as JSON, and a blank body reads as `{}` whatever its type;
//! - the object read, written out again, reads back the same (what the store keeps is what came);
//! - a submission read without errors is whole, survives the store's serde round trip, and read
//!   again from its own fields gives itself (the parsers' normal forms are stable);
//! - an upload read is within the limits, and its name and type read back the same.

#![no_main]

use lapor_domain::Zone;
use lapor_domain::attachment::{self, ContentType, FileName};
use lapor_domain::report::Submission;
use lapor_http::input::{Fields, JsonBody};
use lapor_http::routes::{SubmissionFields, read_submission_fields, read_upload};
use libfuzzer_sys::fuzz_target;
use time::macros::datetime;

fuzz_target!(|data: &[u8]| {
    let blank = data.iter().all(u8::is_ascii_whitespace);
    for not_json in [None, Some("text/plain"), Some("application/jsonx")] {
        let read = JsonBody::parse(not_json, data.to_vec().into());
        assert_eq!(read.is_ok(), blank, "{not_json:?}");
    }
    let Ok(body) = JsonBody::parse(
        Some("application/json; charset=utf-8"),
        data.to_vec().into(),
    ) else {
        return;
    };
    assert!(!blank || body.object.is_empty());

    let again = serde_json::Value::Object(body.object.clone()).to_string();
    let back = JsonBody::parse(Some("application/problem+json"), again.into_bytes().into())
        .expect("an object written out reads back");
    assert_eq!(back.object, body.object, "the object read back differs");

    submission(&body);
    upload(&body);
});

/// The day incident dates are checked against: fixed, so a run is reproducible.
fn today() -> time::Date {
    Zone::Wit.date_of(datetime!(2026-03-10 04:00 UTC))
}

fn read(body: &JsonBody) -> (SubmissionFields, bool) {
    let mut f = Fields::new(&body.object);
    let fields = read_submission_fields(&mut f, today());
    (fields, f.is_valid())
}

fn submission(body: &JsonBody) {
    let (fields, valid) = read(body);
    if valid {
        assert!(fields.submission.is_some(), "no error, yet no submission");
    }
    let Some(submission) = fields.submission else {
        return;
    };
    let stored = serde_json::to_string(&submission).expect("a submission serialises");
    let loaded: Submission = serde_json::from_str(&stored).expect("a stored submission loads");
    assert_eq!(loaded, submission, "the store's round trip changed it");

    // Its own fields as a body (the serde form names them as the API does): read again, they
    // give the same submission, with the same target and attachments.
    let resent = JsonBody::parse(Some("application/json"), stored.into_bytes().into())
        .expect("a submission is a JSON object");
    let (again, _) = read(&resent);
    assert_eq!(again.submission.as_ref(), Some(&submission), "not stable");
}

fn upload(body: &JsonBody) {
    let Ok(request) = read_upload(body) else {
        return;
    };
    assert_eq!(attachment::check_size(request.size), Ok(request.size));
    assert_eq!(
        FileName::parse(request.filename.as_str()).as_ref(),
        Ok(&request.filename),
        "the file name is not stable"
    );
    assert_eq!(
        ContentType::parse(request.content_type.as_str()),
        Ok(request.content_type)
    );
}
