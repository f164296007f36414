//! What the pages answer a request their forms never send: every answer a page, in Bahasa
//! Indonesia, and nothing changed.

use lapor_tests::TestApp;

/// Posts `body` as `content_type` to `path`: the status, content type and page.
async fn post(
    app: &TestApp,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, String, String) {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", app.base))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, response.text().await.unwrap())
}

#[tokio::test]
async fn a_request_no_form_sends_gets_a_page_saying_so() {
    let app = TestApp::builder().spawn().await;
    let json = br#"{"judul": "Laporan"}"#.to_vec();
    let (status, kind, page) = post(&app, "/laporan", "application/json", json).await;
    assert_eq!(status, 415);
    assert!(kind.starts_with("text/html"), "{kind}");
    assert!(page.contains("Formulir tidak dikenali"), "{page}");

    // Bigger than a form with two files of 2 MB: refused before it is read.
    let huge = vec![b'a'; 5_000_000];
    let form = "application/x-www-form-urlencoded";
    let (status, kind, page) = post(&app, "/laporan", form, huge.clone()).await;
    assert_eq!(status, 413);
    assert!(kind.starts_with("text/html"), "{kind}");
    assert!(page.contains("Kiriman terlalu besar"), "{page}");
    let multipart = "multipart/form-data; boundary=batas";
    let mut body = b"--batas\r\nContent-Disposition: form-data; name=\"lampiran\"; filename=\"besar.pdf\"\r\nContent-Type: application/pdf\r\n\r\n".to_vec();
    body.extend(huge);
    body.extend(b"\r\n--batas--\r\n");
    let (status, _, page) = post(&app, "/pengaduan/12345678/balasan", multipart, body).await;
    assert_eq!(status, 413);
    assert!(page.contains("Kiriman terlalu besar"), "{page}");
}

/// The home page with its form, over the wire as a cheap phone gets it (gzip), within 50 KB
/// with everything it loads; no web font, nothing from another site.
#[tokio::test]
async fn the_home_page_is_light() {
    let app = TestApp::builder().spawn().await;
    let client = reqwest::Client::new();
    let weights = lapor_tests::web_bench::home_weights(&client, &app.base)
        .await
        .unwrap();
    let total: usize = weights.iter().map(|(_, bytes)| bytes).sum();
    assert!(
        total <= lapor_tests::web_bench::WEIGHT_AIM,
        "{total} bytes: {weights:?}"
    );
    assert!(weights.iter().any(|(part, _)| part.ends_with(".css")));
    assert!(weights.iter().any(|(part, _)| part.ends_with(".js")));
    let page = client
        .get(format!("{}/", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for foreign in ["http://", "https://", "//fonts", "@font-face", ".woff"] {
        assert!(!page.contains(foreign), "the home page names {foreign}");
    }
}
