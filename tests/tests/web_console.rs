//! The staff console's pages without a browser (UI.md, "The staff console"): who reaches the
//! work list, what each row says, and that nothing an outsider may not see reaches the HTML.
//! The flows through the console in a real browser are in `browser.rs`.

use std::sync::Arc;

use lapor_tests::web_client::Browser;
use lapor_tests::{TestApp, TestClock, World};
use reqwest::Method;
use serde_json::json;
use time::macros::datetime;

/// The work list at `path`, as the account `login` sees it.
async fn worklist(w: &World, login: &str, path: &str) -> String {
    let mut browser = Browser::new(w);
    browser.sign_in(login).await;
    let (status, _, page) = browser.request(Method::GET, path, &[]).await;
    assert_eq!(status, 200, "{path} for {login}: {page}");
    page
}

#[tokio::test]
async fn the_console_is_for_staff_only() {
    let w = TestApp::builder().world().await;
    let mut public = Browser::new(&w);
    let (status, location, _) = public.request(Method::GET, "/admin/laporan", &[]).await;
    assert_eq!((status, location.as_str()), (303, "/masuk"));

    let mut citizen = Browser::new(&w);
    citizen.sign_in("siti@warga.test").await;
    let (status, _, page) = citizen.request(Method::GET, "/admin/laporan", &[]).await;
    assert_eq!(status, 404, "{page}");

    // Staff land on their work list when they sign in.
    let mut officer = Browser::new(&w);
    assert_eq!(
        officer.sign_in("petugas.a1@lapor.test").await,
        "/admin/laporan"
    );
}

#[tokio::test]
async fn a_work_list_shows_its_agencys_reports_as_seed_000_does() {
    let w = TestApp::builder().world().await;
    let anonymous = w
        .disposed_to(
            &w.a1,
            json!({"title": "Lampu jalan padam", "anonymous": true}),
        )
        .await;
    let waiting = w.submitted(json!({"title": "Sampah menumpuk"})).await;

    // The national admin's list: the country, verification first.
    let national = worklist(&w, "admin@lapor.test", "/admin/laporan").await;
    assert!(national.contains("Kelola Laporan – Nasional"), "{national}");
    assert!(national.contains("Selamat datang"));
    assert!(national.contains(">Verifikasi: 1</a>"), "{national}");
    assert!(national.contains(&format!("#{waiting} Sampah menumpuk")));
    assert!(!national.contains(&format!("#{anonymous}")));

    // The unit's officer: the report disposed to it, flagged in words, its reporter hidden.
    let officer = worklist(&w, "petugas.a1@lapor.test", "/admin/laporan").await;
    assert!(
        officer.contains("Kelola Laporan – Dinas Satu A"),
        "{officer}"
    );
    assert!(
        officer.contains(">Belum Ditindaklanjuti: 1</a>"),
        "{officer}"
    );
    assert!(officer.contains(">Sedang Diproses: 0</a>"));
    assert!(
        !officer.contains(">Verifikasi"),
        "an officer verifies nothing"
    );
    assert!(officer.contains(&format!("#{anonymous} Lampu jalan padam")));
    for words in [
        "Anonim",
        "Website",
        "Terverifikasi",
        "Terdisposisi: Dinas Satu A",
    ] {
        assert!(officer.contains(words), "{words} in {officer}");
    }
    assert!(officer.contains("Tindak Lanjut 0"));
    assert!(
        !officer.contains("Siti Aminah"),
        "an anonymous reporter's name"
    );
    assert!(officer.contains("Belum ada penilaian"), "the unit's rating");

    // Another agency's officer sees none of it.
    let foreign = worklist(&w, "petugas.b1@lapor.test", "/admin/laporan").await;
    assert!(!foreign.contains(&format!("#{anonymous}")));
    assert!(foreign.contains(">Belum Ditindaklanjuti: 0</a>"));

    // A search by words, and by a box that does not hold it.
    let found = worklist(&w, "petugas.a1@lapor.test", "/admin/laporan?q=lampu").await;
    assert!(found.contains(&format!("#{anonymous}")));
    let missed = worklist(&w, "petugas.a1@lapor.test", "/admin/laporan?q=banjir").await;
    assert!(!missed.contains(&format!("#{anonymous}")));
    let closed = worklist(&w, "petugas.a1@lapor.test", "/admin/laporan?box=closed").await;
    assert!(!closed.contains(&format!("#{anonymous}")));
}

#[tokio::test]
async fn the_overdue_box_gathers_what_is_late() {
    let clock = Arc::new(TestClock::default());
    let w = TestApp::builder().clock(clock.clone()).world().await;
    // Disposed on Wednesday 11 March 2026: answered by 25 March (the Idul Fitri break).
    clock.set(datetime!(2026-03-11 10:00 +7));
    let late = [
        w.disposed_to(&w.a1, json!({})).await,
        w.disposed_to(&w.a1, json!({})).await,
    ];
    let answered = w.disposed_to(&w.a1, json!({})).await;
    w.app
        .act(
            &answered,
            "follow-ups",
            &w.liaison_a1,
            json!({"body": "Sedang kami periksa."}),
        )
        .await
        .expect(200);
    clock.set(datetime!(2026-03-27 10:00 +7));

    let first = worklist(
        &w,
        "petugas.a1@lapor.test",
        "/admin/laporan?box=overdue&per=20",
    )
    .await;
    assert!(first.contains(">Terlambat: 2</a>"), "{first}");
    for t in &late {
        assert!(first.contains(&format!("#{t}")), "{t} in {first}");
    }
    assert!(
        first.contains("Belum diproses lebih dari 7 hari"),
        "{first}"
    );
    // The answered one runs its resolution deadline: not late yet.
    assert!(!first.contains(&format!("#{answered}")));
}

/// The actions a report page offers, by their sections' ids.
fn offered(page: &str) -> Vec<&str> {
    let mut found: Vec<&str> = page
        .match_indices("<h3 id=\"aksi-")
        .map(|(at, _)| {
            let rest = &page[at + 13..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    found.sort_unstable();
    found
}

/// What one account finds on a report's console page: `None` for the 404 page, else the
/// actions offered; and whether the anonymous reporter's name reaches it.
type Row = (&'static str, Option<&'static [&'static str]>, bool);

/// Opens the report `t` as each account of `table`.
async fn check_table(w: &World, t: &str, table: &[Row]) {
    let path = format!("/admin/laporan/{t}");
    for &(login, actions, sees_name) in table {
        let mut browser = Browser::new(w);
        browser.sign_in(login).await;
        let (status, _, page) = browser.request(Method::GET, &path, &[]).await;
        match actions {
            None => {
                assert_eq!(status, 404, "{login}: {page}");
                assert!(!page.contains("Pungutan liar"), "{login}");
            }
            Some(actions) => {
                assert_eq!(status, 200, "{login}: {page}");
                assert_eq!(offered(&page), actions, "{login}");
                assert_eq!(page.contains("Siti Aminah"), sees_name, "{login}: {page}");
            }
        }
    }
}

const HOLDER_ADMIN: &[&str] = &[
    "bukan-wewenang",
    "disposisi",
    "komentar",
    "salinan",
    "teruskan",
    "tindak-lanjut",
];
const HOLDER_OFFICER: &[&str] = &["bukan-wewenang", "komentar", "teruskan", "tindak-lanjut"];
const ABOVE: &[&str] = &["komentar", "salinan"];

#[tokio::test]
async fn each_role_sees_exactly_what_the_rules_allow_on_a_report_page() {
    let w = TestApp::builder().world().await;
    let anonymous = json!({"anonymous": true, "title": "Pungutan liar"});
    let confidential = json!({"anonymous": true, "confidential": true, "title": "Pungutan liar"});

    // Anonymous and public: every agency may read it, only its holder and those above act,
    // and only the national admins know who sent it.
    let t = w.disposed_to(&w.a1, anonymous).await;
    check_table(
        &w,
        &t,
        &[
            ("admin@lapor.test", Some(ABOVE), true),
            ("admin.a@lapor.test", Some(ABOVE), false),
            ("admin.a1@lapor.test", Some(HOLDER_ADMIN), false),
            ("petugas.a1@lapor.test", Some(HOLDER_OFFICER), false),
            ("petugas.a2@lapor.test", Some(&[]), false),
            ("admin.b@lapor.test", Some(&[]), false),
            ("petugas.b1@lapor.test", Some(&[]), false),
            // Citizens have no console, not even its reporter.
            ("siti@warga.test", None, false),
            ("budi@warga.test", None, false),
        ],
    )
    .await;

    // Confidential too: the agencies it never reached do not know it exists, not even the
    // one above its holder.
    let t = w.disposed_to(&w.a1, confidential).await;
    check_table(
        &w,
        &t,
        &[
            ("admin@lapor.test", Some(ABOVE), true),
            ("admin.a@lapor.test", None, false),
            ("admin.a1@lapor.test", Some(HOLDER_ADMIN), false),
            ("petugas.a1@lapor.test", Some(HOLDER_OFFICER), false),
            ("petugas.a2@lapor.test", None, false),
            ("admin.b@lapor.test", None, false),
            ("petugas.b1@lapor.test", None, false),
            ("siti@warga.test", None, false),
            ("budi@warga.test", None, false),
        ],
    )
    .await;
}

/// The value of the form token on a page.
fn csrf_of(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").unwrap() + 19;
    page[at..at + 64].to_string()
}

/// The version a page's guarded forms carry.
fn version_of(page: &str) -> String {
    let at = page.find("name=\"versi\" value=\"").unwrap() + 20;
    page[at..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn a_report_goes_through_the_console_by_its_forms() {
    let w = TestApp::builder().world().await;
    let t = w.submitted(json!({"title": "Jembatan retak"})).await;
    let path = format!("/admin/laporan/{t}");

    // The national admin verifies it and disposes it to A.
    let mut national = Browser::new(&w);
    national.sign_in("admin@lapor.test").await;
    let (_, _, page) = national.request(Method::GET, &path, &[]).await;
    assert_eq!(offered(&page), ["komentar", "verifikasi"]);
    let form = [
        ("csrf", csrf_of(&page)),
        ("versi", version_of(&page)),
        ("keputusan", "verify".to_string()),
        ("verifikasi-ke", w.a.clone()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, location, _) = national
        .request(Method::POST, &format!("{path}/verifikasi"), &form)
        .await;
    assert_eq!((status, location.as_str()), (303, path.as_str()));

    // A's admin disposes it down to A1: the select offers only A's units.
    let mut admin = Browser::new(&w);
    admin.sign_in("admin.a@lapor.test").await;
    let (_, _, page) = admin.request(Method::GET, &path, &[]).await;
    assert!(
        page.contains("Laporan didisposisikan</strong> ke Pemerintah Provinsi A oleh"),
        "{page}"
    );
    let select = &page[page.find("id=\"disposisi-ke\"").unwrap()..];
    let select = &select[..select.find("</select>").unwrap()];
    assert!(select.contains("Dinas Satu A") && select.contains("Dinas Dua A"));
    assert!(!select.contains("Kementerian B"), "{select}");
    let form = [
        ("csrf", csrf_of(&page)),
        ("versi", version_of(&page)),
        ("disposisi-ke", w.a1.clone()),
        ("disposisi-catatan", "Mohon segera diperiksa.".to_string()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, _) = admin
        .request(Method::POST, &format!("{path}/disposisi"), &form)
        .await;
    assert_eq!(status, 303);

    // A1's officer answers, and leaves an internal note the reporter never sees.
    let mut officer = Browser::new(&w);
    officer.sign_in("petugas.a1@lapor.test").await;
    let (_, _, page) = officer.request(Method::GET, &path, &[]).await;
    let csrf = csrf_of(&page);
    let (status, _, _) = officer
        .request(
            Method::POST,
            &format!("{path}/tindak-lanjut"),
            &[
                ("csrf", &csrf),
                ("tindak-lanjut", "Tim kami sudah meninjau lokasi."),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (status, _, _) = officer
        .request(
            Method::POST,
            &format!("{path}/komentar"),
            &[
                ("csrf", &csrf),
                ("komentar", "Anggaran perbaikan menunggu persetujuan."),
                ("komentar-internal", "on"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, _, page) = officer.request(Method::GET, &path, &[]).await;
    assert!(page.contains("Tim kami sudah meninjau lokasi."));
    assert!(page.contains("<strong>Internal</strong>"), "{page}");
    let reporter_view = w.app.report(&t, Some(&w.reporter)).await.expect(200);
    assert!(!reporter_view.to_string().contains("Anggaran perbaikan"));
    assert_eq!(reporter_view["status"], "in_progress");

    // Closed, then reopened by A's admin.
    let form = [("csrf", csrf.clone()), ("versi", version_of(&page))];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, _) = officer
        .request(Method::POST, &format!("{path}/tutup"), &form)
        .await;
    assert_eq!(status, 303);
    let (_, _, page) = admin.request(Method::GET, &path, &[]).await;
    assert_eq!(offered(&page), ["buka-kembali", "komentar", "salinan"]);
    let form = [
        ("csrf", csrf_of(&page)),
        ("versi", version_of(&page)),
        (
            "buka-alasan",
            "Pelapor menyatakan jembatan belum diperbaiki.".to_string(),
        ),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, _) = admin
        .request(Method::POST, &format!("{path}/buka-kembali"), &form)
        .await;
    assert_eq!(status, 303);
    let view = w.app.report(&t, Some(&w.reporter)).await.expect(200);
    assert_eq!(view["status"], "in_progress");
}

#[tokio::test]
async fn a_form_over_a_report_changed_since_is_refused_and_keeps_what_was_typed() {
    let w = TestApp::builder().world().await;
    let t = w.disposed_to(&w.a1, json!({})).await;
    let path = format!("/admin/laporan/{t}");
    let mut officer = Browser::new(&w);
    officer.sign_in("petugas.a1@lapor.test").await;
    let (_, _, loaded) = officer.request(Method::GET, &path, &[]).await;

    // A colleague answers meanwhile, through the API.
    w.app
        .act(
            &t,
            "follow-ups",
            &w.admin_a1,
            json!({"body": "Sudah kami jadwalkan."}),
        )
        .await
        .expect(200);

    // The officer's forward, from the page loaded before: refused, nothing changed.
    let reason = "Ini wewenang unit dua.";
    let form = [
        ("csrf", csrf_of(&loaded)),
        ("versi", version_of(&loaded)),
        ("teruskan-ke", w.a2.clone()),
        ("teruskan-catatan", reason.to_string()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, page) = officer
        .request(Method::POST, &format!("{path}/teruskan"), &form)
        .await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("<title>Kesalahan: "));
    assert!(page.contains("telah diubah oleh orang lain"));
    assert!(
        page.contains("Sudah kami jadwalkan."),
        "the report as it is now"
    );
    assert!(page.contains(reason), "what was typed");
    let view = w.app.report(&t, Some(&w.liaison_a1)).await.expect(200);
    assert_eq!(view["assigned_agency"]["id"], w.a1.as_str());

    // An append carries no version: a comment from the old page still lands.
    let (status, _, _) = officer
        .request(
            Method::POST,
            &format!("{path}/komentar"),
            &[
                ("csrf", &csrf_of(&loaded)),
                ("komentar", "Saya ikut memantau."),
            ],
        )
        .await;
    assert_eq!(status, 303);

    // A form without its token changes nothing.
    let (status, _, _) = officer
        .request(
            Method::POST,
            &format!("{path}/komentar"),
            &[("komentar", "Palsu.")],
        )
        .await;
    assert_eq!(status, 403);
    let view = w.app.report(&t, Some(&w.liaison_a1)).await.expect(200);
    assert!(!view.to_string().contains("Palsu."));
}

/// A form post from `browser`'s page at `page_path`, with that page's form token.
async fn post_form(
    browser: &mut Browser,
    page_path: &str,
    to: &str,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    let (_, _, page) = browser.request(Method::GET, page_path, &[]).await;
    let csrf = csrf_of(&page);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    browser.request(Method::POST, to, &form).await
}

#[tokio::test]
async fn admins_keep_their_tree_and_officers_their_unit_s_profile() {
    let w = TestApp::builder().world().await;
    let mut admin = Browser::new(&w);
    admin.sign_in("admin.a@lapor.test").await;
    let (status, location, _) = post_form(
        &mut admin,
        "/admin/instansi",
        "/admin/instansi",
        &[
            ("nama-instansi", "Dinas Tiga A"),
            ("induk", &w.a),
            ("zona", ""),
        ],
    )
    .await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/admin/instansi/"), "{location}");
    let (_, _, tree) = admin.request(Method::GET, "/admin/instansi", &[]).await;
    assert!(
        tree.contains("Dinas Tiga A</a> · di bawah Pemerintah Provinsi A"),
        "{tree}"
    );
    assert!(!tree.contains("Kementerian B"), "another agency's tree");
    // Not below A: refused beside the field, nothing added.
    let (status, _, page) = post_form(
        &mut admin,
        "/admin/instansi",
        "/admin/instansi",
        &[("nama-instansi", "Dinas Liar"), ("induk", &w.b)],
    )
    .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Ada masalah"));
    let (_, _, tree) = admin.request(Method::GET, "/admin/instansi", &[]).await;
    assert!(!tree.contains("Dinas Liar"));

    // The unit's officer keeps its profile, but not its deadline nor a sibling's profile.
    let mut officer = Browser::new(&w);
    officer.sign_in("petugas.a1@lapor.test").await;
    let own = format!("/admin/instansi/{}", w.a1);
    let (_, _, page) = officer.request(Method::GET, &own, &[]).await;
    assert!(!page.contains("id=\"batas-waktu\""), "{page}");
    let (status, location, _) = post_form(
        &mut officer,
        &own,
        &own,
        &[
            ("nama", "Dinas Satu A"),
            ("deskripsi", "Menangani jalan dan jembatan."),
            ("kontak", "(021) 555-0101"),
        ],
    )
    .await;
    assert_eq!((status, location), (303, format!("{own}?tersimpan=1")));
    let public = reqwest::get(format!("{}/instansi/{}", w.app.base, w.a1))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(public.contains("Menangani jalan dan jembatan."));
    let sibling = format!("/admin/instansi/{}", w.a2);
    let (status, _, _) = officer.request(Method::GET, &sibling, &[]).await;
    assert_eq!(status, 404);
    // The admin above sets the deadline.
    let (_, _, page) = admin.request(Method::GET, &own, &[]).await;
    assert!(page.contains("id=\"batas-waktu\""));
}

#[tokio::test]
async fn admins_register_and_stop_officers_within_their_tree() {
    let w = TestApp::builder().world().await;
    let mut admin = Browser::new(&w);
    admin.sign_in("admin.a@lapor.test").await;
    let (status, _, page) = post_form(
        &mut admin,
        "/admin/pengguna",
        "/admin/pengguna",
        &[
            ("nama", "Rina Petugas"),
            ("email", "rina@lapor.test"),
            ("sandi", lapor_tests::PASSWORD),
            ("peran", "liaison_officer"),
            ("instansi", &w.a1),
        ],
    )
    .await;
    assert_eq!(status, 303, "{page}");
    let (_, _, list) = admin.request(Method::GET, "/admin/pengguna", &[]).await;
    assert!(list.contains("Rina Petugas"), "{list}");
    assert!(!list.contains("admin.b@lapor.test"), "another tree's staff");
    assert!(
        !list.contains("value=\"national_admin\""),
        "an agency admin makes no national admin"
    );
    let mut rina = Browser::new(&w);
    assert_eq!(rina.sign_in("rina@lapor.test").await, "/admin/laporan");

    // Deactivated: her session ends at once, and she cannot sign in again.
    let at = list.find("Rina Petugas").unwrap();
    let id = list[..at].rsplit("/admin/pengguna/").next().unwrap();
    let id = &id[..id.find('"').unwrap()];
    let (status, _, _) = post_form(
        &mut admin,
        "/admin/pengguna",
        &format!("/admin/pengguna/{id}/nonaktifkan"),
        &[],
    )
    .await;
    assert_eq!(status, 303);
    let (status, location, _) = rina.request(Method::GET, "/admin/laporan", &[]).await;
    assert_eq!((status, location.as_str()), (303, "/masuk"));

    // A missing field is told beside it, with what was typed kept.
    let (status, _, page) = post_form(
        &mut admin,
        "/admin/pengguna",
        "/admin/pengguna",
        &[
            ("nama", "Tanpa Email"),
            ("peran", "liaison_officer"),
            ("instansi", &w.a1),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("value=\"Tanpa Email\""));
    assert!(page.contains("href=\"#email\""), "{page}");

    // Officers manage no accounts.
    let mut officer = Browser::new(&w);
    officer.sign_in("petugas.a1@lapor.test").await;
    let (status, _, _) = officer.request(Method::GET, "/admin/pengguna", &[]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn staff_keep_their_own_profile_and_read_their_notifications() {
    let w = TestApp::builder().world().await;
    let mut officer = Browser::new(&w);
    officer.sign_in("petugas.a1@lapor.test").await;
    let (status, location, _) = post_form(
        &mut officer,
        "/admin/profil",
        "/admin/profil",
        &[("nama", "Petugas Baru"), ("telepon", "")],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/admin/profil?tersimpan=1")
    );
    let (_, _, page) = officer.request(Method::GET, "/admin/profil", &[]).await;
    assert!(page.contains("value=\"Petugas Baru\""));
    let (status, _, page) = post_form(
        &mut officer,
        "/admin/profil",
        "/admin/profil",
        &[
            ("nama", "Petugas Baru"),
            ("sandi-lama", "bukan-kata-sandinya"),
            ("sandi-baru", "kata-sandi-baru-sekali"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Kata sandi saat ini salah"), "{page}");

    // A disposition tells the unit: counted in the header until its page is seen.
    let t = w.disposed_to(&w.a1, json!({})).await;
    w.app.settle().await;
    let (_, _, page) = officer.request(Method::GET, "/admin/laporan", &[]).await;
    assert!(page.contains("Notifikasi (1 belum dibaca)"), "{page}");
    let (_, _, page) = officer.request(Method::GET, "/admin/notifikasi", &[]).await;
    assert!(page.contains(&format!("#{t}")), "{page}");
    let (_, _, page) = officer.request(Method::GET, "/admin/laporan", &[]).await;
    assert!(page.contains("Notifikasi (0 belum dibaca)"));
}

#[tokio::test]
async fn an_agency_s_standard_replies_fill_its_follow_ups() {
    let w = TestApp::builder().world().await;
    let mut officer = Browser::new(&w);
    officer.sign_in("petugas.a1@lapor.test").await;
    let text = "Terima kasih, laporan Anda sedang kami tinjau di lapangan.";
    let (status, _, _) = post_form(
        &mut officer,
        "/admin/templat",
        "/admin/templat",
        &[("nama-templat", "Sedang ditinjau"), ("isi-templat", text)],
    )
    .await;
    assert_eq!(status, 303);
    let (_, _, list) = officer.request(Method::GET, "/admin/templat", &[]).await;
    assert!(list.contains("Sedang ditinjau"), "{list}");

    // The follow-up form offers it; "Pakai templat" fills the text, without the script.
    let t = w.disposed_to(&w.a1, json!({})).await;
    let path = format!("/admin/laporan/{t}");
    let (_, _, page) = officer.request(Method::GET, &path, &[]).await;
    assert!(page.contains(">Sedang ditinjau</option>"), "{page}");
    let (_, _, filled) = officer
        .request(Method::GET, &format!("{path}?templat=1"), &[])
        .await;
    let form = &filled[filled.find("id=\"tindak-lanjut\"").unwrap()..];
    assert!(form[..form.find("</textarea>").unwrap()].contains(text));

    // Another agency's staff do not see A1's replies; and a removed one is gone.
    let mut other = Browser::new(&w);
    other.sign_in("petugas.a2@lapor.test").await;
    let (_, _, theirs) = other.request(Method::GET, "/admin/templat", &[]).await;
    assert!(!theirs.contains("Sedang ditinjau"));
    let (status, _, _) = post_form(
        &mut officer,
        "/admin/templat",
        "/admin/templat/1/hapus",
        &[],
    )
    .await;
    assert_eq!(status, 303);
    let (_, _, page) = officer.request(Method::GET, &path, &[]).await;
    assert!(!page.contains("Sedang ditinjau"));
    // National admins answer no report: they keep none.
    let mut national = Browser::new(&w);
    national.sign_in("admin@lapor.test").await;
    let (status, _, _) = national.request(Method::GET, "/admin/templat", &[]).await;
    assert_eq!(status, 404);
}
