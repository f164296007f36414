//! `lapor-local backup` and `restore`: a backup taken while the server runs holds every report,
//! account and attached file written before it, and a server started on its restore serves
//! them, with the same tokens; what came after it is not in it.

use lapor_tests::{PNG, TestApp, report};
use serde_json::json;

#[tokio::test]
async fn a_backup_taken_while_serving_restores_into_a_working_server() {
    let temp = tempfile::tempdir().unwrap();
    let (data, restored) = (temp.path().join("data"), temp.path().join("restored"));
    let app = TestApp::builder().embedded().data_dir(&data).spawn().await;
    let w = lapor_tests::World::on(app).await;
    let photo = w
        .app
        .upload(Some(&w.reporter), "jalan.png", "image/png", PNG)
        .await;
    let before = w
        .disposed_to(&w.a1, json!({"attachment_ids": [photo]}))
        .await;

    let archive = temp.path().join("lapor-backup.tar");
    let files = lapor_embedded::backup::backup(&data, &archive).unwrap();
    assert!(files >= 4, "the database, secrets and the photo: {files}");
    let after = w.app.submit(Some(&w.reporter), report(json!({}))).await;
    assert!(
        lapor_embedded::backup::backup(&data, &archive).is_err(),
        "a backup never overwrites a file"
    );

    // Restored only into a new directory.
    assert!(lapor_embedded::backup::restore(&archive, &data).is_err());
    lapor_embedded::backup::restore(&archive, &restored).unwrap();
    w.app.stop().await;
    let back = TestApp::builder()
        .embedded()
        .data_dir(&restored)
        .spawn()
        .await;
    // The tokens of before work: the secret that signed them came back too.
    let view = back.report(&before, Some(&w.liaison_a1)).await.expect(200);
    assert_eq!(view["attachments"][0]["filename"], "jalan.png");
    let (status, location) = back.attachment_link(&photo, Some(&w.liaison_a1)).await;
    assert_eq!(status, 302);
    let file = back.client.get(location.unwrap()).send().await.unwrap();
    assert_eq!(file.bytes().await.unwrap().as_ref(), PNG);
    let later = after["tracking_id"].as_str().unwrap();
    back.report(later, Some(&w.national)).await.expect(404);
    back.stop().await;
}

#[test]
fn a_file_that_is_not_a_backup_is_refused() {
    let temp = tempfile::tempdir().unwrap();
    let archive = temp.path().join("other.tar");
    let mut tar = tar::Builder::new(std::fs::File::create(&archive).unwrap());
    let mut header = tar::Header::new_gnu();
    header.set_size(5);
    header.set_cksum();
    tar.append_data(&mut header, "notes.txt", &b"halo\n"[..])
        .unwrap();
    tar.finish().unwrap();
    let target = temp.path().join("data");
    assert!(lapor_embedded::backup::restore(&archive, &target).is_err());
}
