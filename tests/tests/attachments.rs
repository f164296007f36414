//! Attachments end to end, on the embedded backend and (`LAPOR_TEST_BACKEND=aws`) on S3 and
//! DynamoDB on moto: upload URLs, uploads, the checks made when a file is attached, and who may
//! download it. moto does not enforce what a presigned URL signs, so a wrong upload is shown
//! refused where the backend refuses it (the folder at upload, both at attach time).

use lapor_tests::{PNG, TestApp, report};
use serde_json::{Value, json};

const PDF: &[u8] = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n";
/// HTML dressed as a PNG: the attack the magic-number check stops.
const HTML: &[u8] = b"<html><script>alert(document.cookie)</script></html>";

fn declared(filename: &str, content_type: &str, size: usize) -> Value {
    json!({"filename": filename, "content_type": content_type, "size": size})
}

fn field_errors(answer: &Value) -> Vec<String> {
    answer["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn an_upload_url_is_refused_for_a_file_too_large_or_of_another_type() {
    let w = TestApp::builder().world().await;
    let post = |body: Value| w.app.post("/v1/attachments", Some(&w.reporter), body);
    let too_large = post(declared("video.mp4", "video/mp4", 2_097_153)).await;
    assert_eq!(too_large.status, 413, "{}", too_large.body);
    assert_eq!(field_errors(&too_large.body), ["size"]);
    let html = post(declared("halaman.html", "text/html", 100)).await;
    assert_eq!(html.status, 415, "{}", html.body);
    assert_eq!(field_errors(&html.body), ["content_type"]);
    // Other mistakes are named field by field.
    let invalid =
        post(json!({"filename": "a/b.png", "content_type": "image/png", "size": 0})).await;
    assert_eq!(invalid.status, 422, "{}", invalid.body);
    assert_eq!(field_errors(&invalid.body), ["filename", "size"]);
    let missing = post(json!({})).await;
    assert_eq!(
        field_errors(&missing.body),
        ["filename", "content_type", "size"]
    );
    // Exactly 2 MiB is allowed, for anyone, signed in or not.
    let largest = w.app.post(
        "/v1/attachments",
        None,
        declared("v.mp4", "video/mp4", 2_097_152),
    );
    let ticket = largest.await.expect(201);
    assert!(
        ticket["upload"]["url"]
            .as_str()
            .unwrap()
            .starts_with("http")
    );
}

#[tokio::test]
async fn an_upload_url_binds_length_and_type_and_expires() {
    let w = TestApp::builder().world().await;
    let ticket = w
        .app
        .post(
            "/v1/attachments",
            Some(&w.reporter),
            declared("foto.png", "image/png", PNG.len()),
        )
        .await
        .expect(201);
    let headers = ticket["upload"]["headers"].as_object().unwrap();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.as_str())
    };
    assert_eq!(header("content-type"), Some("image/png"));
    assert_eq!(
        header("content-length"),
        Some(PNG.len().to_string().as_str())
    );
    let expires_at = time::OffsetDateTime::parse(
        ticket["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let lasts = expires_at - time::OffsetDateTime::now_utc();
    assert!(lasts > time::Duration::minutes(14) && lasts <= time::Duration::minutes(15));
    let url = ticket["upload"]["url"].as_str().unwrap();
    if w.app.on_aws() {
        // S3 checks these itself (moto does not).
        assert!(url.contains("X-Amz-Expires=900"), "{url}");
        assert!(
            url.contains("X-Amz-SignedHeaders=content-length%3Bcontent-type"),
            "{url}"
        );
    } else {
        // The folder's own URLs: a body of another length or type is refused at upload, and a
        // URL altered to stretch its expiry no longer matches its signature.
        assert_eq!(w.app.put_upload(&ticket, &PNG[1..], None).await, 400);
        assert_eq!(
            w.app.put_upload(&ticket, PNG, Some("image/jpeg")).await,
            415
        );
        let mut stretched = ticket.clone();
        let later = url.replace("expires=", "expires=9");
        stretched["upload"]["url"] = json!(later);
        assert_eq!(w.app.put_upload(&stretched, PNG, None).await, 403);
        assert_eq!(w.app.put_upload(&ticket, PNG, None).await, 200);
    }
}

#[tokio::test]
async fn attaching_checks_the_stored_file_and_takes_it_once() {
    let w = TestApp::builder().world().await;
    let submit_with = |ids: Value| {
        w.app.post(
            "/v1/reports",
            Some(&w.reporter),
            report(json!({"attachment_ids": ids})),
        )
    };
    let ticket = |name: &str, content_type: &str, size: usize| {
        w.app.post(
            "/v1/attachments",
            Some(&w.reporter),
            declared(name, content_type, size),
        )
    };

    // Never uploaded.
    let never = ticket("foto.png", "image/png", PNG.len()).await.expect(201);
    // Uploaded with another length than declared (the folder refuses the upload itself).
    let short = ticket("foto.png", "image/png", PNG.len() + 1)
        .await
        .expect(201);
    w.app.put_upload(&short, PNG, None).await;
    // Uploaded as another type than declared.
    let retyped = ticket("foto.png", "image/png", PNG.len()).await.expect(201);
    w.app.put_upload(&retyped, PNG, Some("image/jpeg")).await;
    // The declared type and length, but not a PNG inside.
    let disguised = ticket("foto.png", "image/png", HTML.len())
        .await
        .expect(201);
    assert_eq!(w.app.put_upload(&disguised, HTML, None).await, 200);
    for (bad, why) in [
        (&never, "was not uploaded"),
        (&short, ""),
        (&retyped, ""),
        (&disguised, "content is not image/png"),
    ] {
        let answer = submit_with(json!([bad["id"]])).await;
        assert_eq!(answer.status, 422, "{}", answer.body);
        assert_eq!(field_errors(&answer.body), ["attachment_ids[0]"]);
        assert!(answer.body.to_string().contains(why), "{}", answer.body);
    }

    let photo = w
        .app
        .upload(Some(&w.reporter), "foto.png", "image/png", PNG)
        .await;
    // Someone else's upload is unknown to them; the same id twice is refused.
    let answer = w
        .app
        .post(
            "/v1/reports",
            Some(&w.other),
            report(json!({"attachment_ids": [photo]})),
        )
        .await;
    assert_eq!(field_errors(&answer.expect(422)), ["attachment_ids[0]"]);
    let answer = submit_with(json!([photo, photo])).await;
    assert_eq!(field_errors(&answer.expect(422)), ["attachment_ids[1]"]);
    let before = w
        .app
        .get("/v1/inbox?box=verification", Some(&w.national))
        .await
        .expect(200);

    let tracking = submit_with(json!([photo])).await.expect(201)["tracking_id"].clone();
    let again = submit_with(json!([photo])).await;
    assert!(again.expect(422).to_string().contains("attached already"));
    let after = w
        .app
        .get("/v1/inbox?box=verification", Some(&w.national))
        .await
        .expect(200);
    let submitted = |inbox: &Value| inbox["counts"]["verification"].as_u64().unwrap();
    assert_eq!(
        submitted(&after),
        submitted(&before) + 1,
        "refused submissions stored nothing"
    );

    let view = w
        .app
        .report(tracking.as_str().unwrap(), Some(&w.reporter))
        .await
        .expect(200);
    let submitted_entry = &view["timeline"][0];
    assert_eq!(submitted_entry["type"], "submitted");
    assert_eq!(
        view["attachments"],
        json!([{"id": photo, "filename": "foto.png", "content_type": "image/png",
                "size": PNG.len(), "entry_id": submitted_entry["id"]}])
    );
}

#[tokio::test]
async fn follow_ups_and_replies_carry_files_that_download_for_whoever_sees_the_report() {
    let w = TestApp::builder().world().await;
    let t = w.disposed_to(&w.a1, json!({})).await;
    let scan = w
        .app
        .upload(Some(&w.liaison_a1), "surat.pdf", "application/pdf", PDF)
        .await;
    let body = json!({"body": "Surat tindak lanjut terlampir.", "attachment_ids": [scan]});
    let view = w
        .app
        .act(&t, "follow-ups", &w.liaison_a1, body)
        .await
        .expect(200);
    let follow_up = view["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(follow_up["type"], "follow_up");
    assert_eq!(view["attachments"][0]["entry_id"], follow_up["id"]);

    let photo = w
        .app
        .upload(Some(&w.reporter), "bukti.png", "image/png", PNG)
        .await;
    let body = json!({"body": "Masih rusak, lihat foto.", "attachment_ids": [photo]});
    let view = w
        .app
        .act(&t, "replies", &w.reporter, body)
        .await
        .expect(200);
    let ids: Vec<&str> = view["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [scan.as_str(), photo.as_str()]);

    // A published report's files are public, as its timeline is.
    let (status, location) = w.app.attachment_link(&scan, None).await;
    assert_eq!(status, 302);
    let file = w.app.client.get(location.unwrap()).send().await.unwrap();
    assert_eq!(file.status(), 200);
    if !w.app.on_aws() {
        let disposition = file.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            disposition.starts_with("attachment; filename=\"surat.pdf\""),
            "{disposition}"
        );
    }
    assert_eq!(file.bytes().await.unwrap().as_ref(), PDF);

    // An upload not attached, or an unknown id, downloads for nobody.
    let loose = w
        .app
        .upload(Some(&w.reporter), "lain.png", "image/png", PNG)
        .await;
    assert_eq!(
        w.app.attachment_link(&loose, Some(&w.reporter)).await.0,
        404
    );
    assert_eq!(
        w.app
            .attachment_link("01ARZ3NDEKTSV4RRFFQ69G5FAV", None)
            .await
            .0,
        404
    );
    assert_eq!(w.app.attachment_link("bukan-id", None).await.0, 404);
    // A follow-up by someone who may not act attaches nothing, and says so before any check.
    let other = w
        .app
        .upload(Some(&w.liaison_b1), "x.png", "image/png", PNG)
        .await;
    let body = json!({"body": "Bukan wewenang kami.", "attachment_ids": [other]});
    assert_eq!(
        w.app
            .act(&t, "follow-ups", &w.liaison_b1, body)
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn a_completed_report_keeps_the_files_it_names_again() {
    let w = TestApp::builder().world().await;
    let first = w
        .app
        .upload(Some(&w.reporter), "a.png", "image/png", PNG)
        .await;
    let tracking = w.submitted(json!({"attachment_ids": [first]})).await;
    let back = json!({"decision": "return", "reason": "Lengkapi lokasinya."});
    w.app
        .act(&tracking, "verification", &w.national, back)
        .await
        .expect(200);
    let second = w
        .app
        .upload(Some(&w.reporter), "b.pdf", "application/pdf", PDF)
        .await;
    let completed = report(json!({"attachment_ids": [first, second]}));
    let path = format!("/v1/reports/{tracking}");
    let view = w
        .app
        .put(&path, Some(&w.reporter), completed)
        .await
        .expect(200);
    let names: Vec<&str> = view["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["filename"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a.png", "b.pdf"]);
    let completed_entry = view["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(completed_entry["type"], "completed");
    assert_eq!(view["attachments"][1]["entry_id"], completed_entry["id"]);
}

/// Who may download a file: exactly who may see the report it is attached to.
#[tokio::test]
async fn downloads_follow_the_reports_visibility() {
    let w = TestApp::builder().world().await;
    let everyone: Vec<(&str, Option<&str>)> = vec![
        ("reporter", Some(&w.reporter)),
        ("other citizen", Some(&w.other)),
        ("public", None),
        ("national admin", Some(&w.national)),
        ("admin of A (parent)", Some(&w.admin_a)),
        ("admin of A1 (holder)", Some(&w.admin_a1)),
        ("liaison of A1 (holder)", Some(&w.liaison_a1)),
        ("liaison of A2 (sibling)", Some(&w.liaison_a2)),
        ("admin of B (foreign)", Some(&w.admin_b)),
        ("liaison of B1 (foreign)", Some(&w.liaison_b1)),
    ];
    let cases = [
        // Confidential, disposed straight to A1: only those it reached.
        (
            json!({"confidential": true}),
            true,
            vec![
                "reporter",
                "national admin",
                "admin of A1 (holder)",
                "liaison of A1 (holder)",
            ],
        ),
        // Anonymous but published: the file is content, public like the body.
        (
            json!({"anonymous": true}),
            true,
            everyone.iter().map(|(n, _)| *n).collect(),
        ),
        // Submitted, addressed to A1, not verified yet: not public.
        (
            json!({"target_agency_id": w.a1}),
            false,
            vec![
                "reporter",
                "national admin",
                "admin of A (parent)",
                "admin of A1 (holder)",
                "liaison of A1 (holder)",
            ],
        ),
    ];
    for (flags, disposed, may) in cases {
        let photo = w
            .app
            .upload(Some(&w.reporter), "foto.png", "image/png", PNG)
            .await;
        let mut overrides = flags.clone();
        overrides["attachment_ids"] = json!([photo]);
        let t = if disposed {
            w.disposed_to(&w.a1, overrides).await
        } else {
            w.submitted(overrides).await
        };
        let mut wrong = Vec::new();
        for (name, token) in &everyone {
            let report = w.app.report(&t, *token).await.status;
            let (download, _) = w.app.attachment_link(&photo, *token).await;
            let expected = if may.contains(name) { 302 } else { 404 };
            if download != expected || (report == 200) != (expected == 302) {
                wrong.push(format!(
                    "{name}: download {download}, report {report}, expected {expected}"
                ));
            }
        }
        assert!(wrong.is_empty(), "{flags}:\n{}", wrong.join("\n"));
    }
}

/// A file is saved under a name ending in the extension of the type its bytes were checked to
/// be, whatever name it was given: a PNG named `evil.html` saves as `evil.png`, and so opens
/// as a picture, never as a page.
#[tokio::test]
async fn a_download_is_named_for_the_type_its_bytes_are() {
    let w = TestApp::builder().world().await;
    let disguised = w
        .app
        .upload(Some(&w.reporter), "evil.html", "image/png", PNG)
        .await;
    let t = w
        .disposed_to(&w.a1, json!({"attachment_ids": [disguised]}))
        .await;
    let view = w.app.report(&t, None).await.expect(200);
    assert_eq!(
        view["attachments"][0]["filename"], "evil.html",
        "shown as it was given"
    );
    let (status, location) = w.app.attachment_link(&disguised, None).await;
    assert_eq!(status, 302);
    let location = location.unwrap();
    assert!(
        location.contains("evil.png") && !location.contains("evil.html"),
        "{location}"
    );
    let file = w.app.client.get(&location).send().await.unwrap();
    assert_eq!(file.status(), 200);
    if !w.app.on_aws() {
        let disposition = file.headers()["content-disposition"].to_str().unwrap();
        assert_eq!(
            disposition,
            "attachment; filename=\"evil.png\"; filename*=UTF-8''evil.png"
        );
    }
}

/// What `path` holds, every directory and file below it, each with its mode.
#[cfg(unix)]
fn modes_below(path: &std::path::Path) -> Vec<(String, bool, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut found = Vec::new();
    for entry in std::fs::read_dir(path).expect("a directory") {
        let entry = entry.expect("an entry");
        let meta = entry.metadata().expect("its metadata");
        let name = entry.path().display().to_string();
        found.push((name, meta.is_dir(), meta.permissions().mode() & 0o777));
        if meta.is_dir() {
            found.extend(modes_below(&entry.path()));
        }
    }
    found
}

/// The data directory holds reporters' contacts, password hashes, attachments and the secrets:
/// made by the server, it and everything in it are its user's only (0700 and 0600).
#[cfg(unix)]
#[tokio::test]
async fn nothing_in_the_data_directory_is_open_to_other_users() {
    use std::os::unix::fs::PermissionsExt;
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("lapor");
    let app = TestApp::builder().embedded().data_dir(&dir).spawn().await;
    let photo = app.upload(None, "foto.png", "image/png", PNG).await;
    app.submit(None, report(json!({"attachment_ids": [photo]})))
        .await;
    app.settle().await;
    let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "the data directory");
    let found = modes_below(&dir);
    let open: Vec<_> = found
        .iter()
        .filter(|(_, is_dir, mode)| *mode != if *is_dir { 0o700 } else { 0o600 })
        .collect();
    assert!(open.is_empty(), "open to others: {open:?}");
    for name in [
        "lapor.db",
        "lapor.db-wal",
        "lapor.db-shm",
        "events.jsonl",
        "jwt-secret",
        "blob-url-key",
        "attachments/kept",
    ] {
        assert!(
            found.iter().any(|(path, _, _)| path.contains(name)),
            "{name} among {found:?}"
        );
    }
}

/// A photo as a phone writes it, with the name of whoever took it in its EXIF (`Artist`) and
/// its XMP.
fn photo_naming_its_taker() -> Vec<u8> {
    let name = b"Siti Aminah\0";
    // A big-endian TIFF block: one IFD with the Artist (ASCII, its text right after the IFD).
    let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x3b\x00\x02".to_vec();
    tiff.extend_from_slice(&(name.len() as u32).to_be_bytes());
    tiff.extend_from_slice(&26u32.to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff.extend_from_slice(name);
    let segment = |marker: u8, body: &[u8]| {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(body);
        s
    };
    let exif = segment(0xE1, &[&b"Exif\0\0"[..], &tiff].concat());
    let xmp = segment(
        0xE1,
        b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Siti Aminah</x:xmpmeta>",
    );
    let jpeg = lapor_domain::photo::samples::JPEG;
    [&jpeg[..2], &exif, &xmp, &jpeg[2..]].concat()
}

/// The kept copy of a photo has nothing of who took it, even for those who may download it; an
/// anonymous reporter's photo cannot name them.
#[tokio::test]
async fn a_photo_is_kept_without_what_it_tells_of_its_taker() {
    let w = TestApp::builder().world().await;
    let sent = photo_naming_its_taker();
    assert!(sent.windows(11).any(|w| w == b"Siti Aminah"));
    let photo = w
        .app
        .upload(Some(&w.reporter), "IMG_0001.jpg", "image/jpeg", &sent)
        .await;
    let t = w
        .disposed_to(&w.a1, json!({"anonymous": true, "attachment_ids": [photo]}))
        .await;
    let (status, location) = w.app.attachment_link(&photo, Some(&w.liaison_a1)).await;
    assert_eq!(status, 302);
    let kept = w.app.client.get(location.unwrap()).send().await.unwrap();
    let kept = kept.bytes().await.unwrap();
    assert!(kept.starts_with(&[0xFF, 0xD8]), "still a JPEG");
    assert!(
        !kept.windows(11).any(|w| w == b"Siti Aminah"),
        "the taker's name is kept"
    );
    assert!(!kept.windows(10).any(|w| w == b"ns.adobe.c"), "XMP is kept");
    let view = w.app.report(&t, Some(&w.liaison_a1)).await.expect(200);
    assert_eq!(
        view["attachments"][0]["size"],
        kept.len(),
        "the size of what is kept"
    );
}
