//! The permission table: every role × action × own / foreign / parent agency, with anonymous and
//! confidential reports and internal comments. Each cell that may change a report runs on a
//! fresh one, so one cell's success cannot change another's answer; the cells refused (and the
//! reads) share one, which must not have moved when they are done: a refusal changes nothing.

use lapor_tests::{TestApp, World};
use serde_json::{Value, json};

/// Who acts. `Parent` is A's admin: A is the parent of the holder A1 (and its disposer).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Reporter,
    Other,
    Public,
    National,
    Parent,
    OwnAdmin,
    OwnLiaison,
    SiblingLiaison,
    ForeignAdmin,
    ForeignLiaison,
}

use Who::*;

const EVERYONE: [Who; 10] = [
    Reporter,
    Other,
    Public,
    National,
    Parent,
    OwnAdmin,
    OwnLiaison,
    SiblingLiaison,
    ForeignAdmin,
    ForeignLiaison,
];

fn token(w: &World, who: Who) -> Option<&str> {
    Some(match who {
        Reporter => &w.reporter,
        Other => &w.other,
        Public => return None,
        National => &w.national,
        Parent => &w.admin_a,
        OwnAdmin => &w.admin_a1,
        OwnLiaison => &w.liaison_a1,
        SiblingLiaison => &w.liaison_a2,
        ForeignAdmin => &w.admin_b,
        ForeignLiaison => &w.liaison_b1,
    })
}

/// Where the report stands before the action.
#[derive(Clone, Copy, Debug)]
enum Stage {
    /// Submitted with A1 as its target agency.
    SubmittedForA1,
    /// Submitted with A1 as its target, verified and disposed by the national admins to B1.
    PassedOverForB1,
    /// Returned to the reporter.
    Returned,
    /// Disposed by the national admins to A.
    HeldByA,
    /// Disposed to A, then by A to A1.
    HeldByA1,
    /// As `HeldByA1`, with a follow-up.
    InProgress,
    /// As `InProgress`, closed.
    Closed,
    /// As `HeldByA1`, with a pending "not our authority" request.
    Requested,
}

struct Setup {
    stage: Stage,
    confidential: bool,
    anonymous: bool,
    /// Dispose straight from the national level to A1, so A never reaches it.
    direct: bool,
}

const fn plain(stage: Stage) -> Setup {
    Setup {
        stage,
        confidential: false,
        anonymous: false,
        direct: false,
    }
}

const fn confidential_direct(stage: Stage) -> Setup {
    Setup {
        stage,
        confidential: true,
        anonymous: false,
        direct: true,
    }
}

/// Makes a fresh report at the stage; answers its tracking id and request id (if any).
async fn prepare(w: &World, setup: &Setup) -> (String, String) {
    let app = &w.app;
    let flags = json!({"confidential": setup.confidential, "anonymous": setup.anonymous});
    let t = match setup.stage {
        Stage::SubmittedForA1 => {
            let mut body = flags.clone();
            body["target_agency_id"] = json!(w.a1);
            return (w.submitted(body).await, String::new());
        }
        Stage::PassedOverForB1 => {
            let mut body = flags.clone();
            body["target_agency_id"] = json!(w.a1);
            let t = w.submitted(body).await;
            let verify = json!({"decision": "verify", "dispose_to": w.b1});
            app.act(&t, "verification", &w.national, verify)
                .await
                .expect(200);
            return (t, String::new());
        }
        Stage::Returned => {
            let t = w.submitted(flags).await;
            app.act(
                &t,
                "verification",
                &w.national,
                json!({"decision": "return", "reason": "Lengkapi."}),
            )
            .await
            .expect(200);
            return (t, String::new());
        }
        Stage::HeldByA => return (w.disposed_to(&w.a, flags).await, String::new()),
        _ if setup.direct => w.disposed_to(&w.a1, flags).await,
        _ => {
            let t = w.disposed_to(&w.a, flags).await;
            app.act(&t, "dispositions", &w.admin_a, json!({"agency_id": w.a1}))
                .await
                .expect(200);
            t
        }
    };
    let mut request = String::new();
    match setup.stage {
        Stage::InProgress | Stage::Closed => {
            app.act(
                &t,
                "follow-ups",
                &w.liaison_a1,
                json!({"body": "Tindak lanjut."}),
            )
            .await
            .expect(200);
            if matches!(setup.stage, Stage::Closed) {
                app.act(&t, "close", &w.liaison_a1, json!({}))
                    .await
                    .expect(200);
            }
        }
        Stage::Requested => {
            let a = app
                .act(
                    &t,
                    "not-authority-requests",
                    &w.liaison_a1,
                    json!({"reason": "Bukan kami."}),
                )
                .await
                .expect(201);
            request = a["request_id"].as_str().unwrap().to_string();
        }
        _ => {}
    }
    (t, request)
}

/// One row: an action on a report at a stage, and the status each actor gets.
struct Row {
    name: &'static str,
    setup: Setup,
    method: &'static str,
    path: &'static str,
    body: fn(&World) -> Value,
    allowed: u16,
    /// Actors who succeed.
    may: &'static [Who],
    /// Actors who may not even see the report (404); everyone else signed in gets 403, and the
    /// public 401 (every action needs a token).
    hidden_from: &'static [Who],
}

fn no_body(_: &World) -> Value {
    json!({})
}

async fn run(w: &World, row: &Row) {
    let mut failures = Vec::new();
    let shared = prepare(w, &row.setup).await;
    let version_before = version(w, &shared.0).await;
    for who in EVERYONE {
        let changes = row.may.contains(&who) && row.method != "GET";
        let (t, request) = if changes {
            prepare(w, &row.setup).await
        } else {
            shared.clone()
        };
        let path = row.path.replace("{t}", &t).replace("{request}", &request);
        let method = reqwest::Method::from_bytes(row.method.as_bytes()).unwrap();
        let body = (row.body)(w);
        let answer = w.app.send(method, &path, token(w, who), Some(&body)).await;
        let expected = if row.may.contains(&who) {
            row.allowed
        } else if who == Public && row.method != "GET" {
            401
        } else if row.hidden_from.contains(&who) || (who == Public && row.method == "GET") {
            404
        } else {
            403
        };
        if answer.status != expected {
            failures.push(format!(
                "{who:?}: expected {expected}, got {} {}",
                answer.status, answer.body
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}:\n{}",
        row.name,
        failures.join("\n")
    );
    assert_eq!(
        version(w, &shared.0).await,
        version_before,
        "{}: a refusal changed the report",
        row.name
    );
}

/// A report's version, as the national admins (who see every report) read it.
async fn version(w: &World, tracking: &str) -> Value {
    w.app.report(tracking, Some(&w.national)).await.expect(200)["version"].clone()
}

#[tokio::test]
#[rustfmt::skip] // a table reads best one row per line
async fn who_may_act_on_a_report() {
    let w = TestApp::builder().world().await;
    let rows = [
        Row { name: "verify a report addressed to A1", setup: plain(Stage::SubmittedForA1), method: "POST",
            path: "/v1/reports/{t}/verification", body: |_| json!({"decision": "verify"}), allowed: 200,
            may: &[National, OwnAdmin], hidden_from: &[Other, SiblingLiaison, ForeignAdmin, ForeignLiaison] },
        Row { name: "return a report", setup: plain(Stage::SubmittedForA1), method: "POST",
            path: "/v1/reports/{t}/verification", body: |_| json!({"decision": "return", "reason": "Lengkapi."}), allowed: 200,
            may: &[National, OwnAdmin], hidden_from: &[Other, SiblingLiaison, ForeignAdmin, ForeignLiaison] },
        Row { name: "complete a returned report", setup: plain(Stage::Returned), method: "PUT",
            path: "/v1/reports/{t}", body: |_| lapor_tests::report(json!({})), allowed: 200,
            may: &[Reporter], hidden_from: &[Other, Parent, OwnAdmin, OwnLiaison, SiblingLiaison, ForeignAdmin, ForeignLiaison] },
        Row { name: "dispose a report held by A", setup: plain(Stage::HeldByA), method: "POST",
            path: "/v1/reports/{t}/dispositions", body: |w| json!({"agency_id": w.a1}), allowed: 200,
            may: &[Parent], hidden_from: &[] },
        Row { name: "forward to a sibling", setup: plain(Stage::HeldByA1), method: "POST",
            path: "/v1/reports/{t}/forward", body: |w| json!({"agency_id": w.a2}), allowed: 200,
            may: &[OwnAdmin, OwnLiaison], hidden_from: &[] },
        Row { name: "copy to B", setup: plain(Stage::HeldByA1), method: "POST",
            path: "/v1/reports/{t}/copies", body: |w| json!({"agency_id": w.b}), allowed: 200,
            may: &[National, Parent, OwnAdmin], hidden_from: &[] },
        Row { name: "follow up", setup: plain(Stage::HeldByA1), method: "POST",
            path: "/v1/reports/{t}/follow-ups", body: |_| json!({"body": "Jawaban."}), allowed: 200,
            may: &[OwnAdmin, OwnLiaison], hidden_from: &[] },
        Row { name: "comment", setup: plain(Stage::HeldByA1), method: "POST",
            path: "/v1/reports/{t}/comments", body: |_| json!({"body": "Komentar."}), allowed: 200,
            may: &[Reporter, National, Parent, OwnAdmin, OwnLiaison], hidden_from: &[] },
        Row { name: "comment internally", setup: plain(Stage::HeldByA1), method: "POST",
            path: "/v1/reports/{t}/comments", body: |_| json!({"body": "Catatan internal.", "internal": true}), allowed: 200,
            may: &[National, Parent, OwnAdmin, OwnLiaison], hidden_from: &[] },
        Row { name: "reply", setup: plain(Stage::InProgress), method: "POST",
            path: "/v1/reports/{t}/replies", body: |_| json!({"body": "Balasan."}), allowed: 200,
            may: &[Reporter], hidden_from: &[] },
        Row { name: "ask 'not our authority'", setup: plain(Stage::HeldByA1), method: "POST",
            path: "/v1/reports/{t}/not-authority-requests", body: |_| json!({"reason": "Bukan kami."}), allowed: 201,
            may: &[OwnAdmin, OwnLiaison], hidden_from: &[] },
        Row { name: "decide 'not our authority'", setup: plain(Stage::Requested), method: "POST",
            path: "/v1/reports/{t}/not-authority-requests/{request}/decision", body: |_| json!({"decision": "reject"}), allowed: 200,
            may: &[Parent], hidden_from: &[] },
        Row { name: "close", setup: plain(Stage::InProgress), method: "POST",
            path: "/v1/reports/{t}/close", body: no_body, allowed: 200,
            may: &[OwnAdmin, OwnLiaison], hidden_from: &[] },
        Row { name: "reopen", setup: plain(Stage::Closed), method: "POST",
            path: "/v1/reports/{t}/reopen", body: |_| json!({"reason": "Belum tuntas."}), allowed: 200,
            may: &[National, Parent, OwnAdmin, OwnLiaison], hidden_from: &[] },
        Row { name: "rate", setup: plain(Stage::InProgress), method: "POST",
            path: "/v1/reports/{t}/rating", body: |_| json!({"stars": 4}), allowed: 200,
            may: &[Reporter], hidden_from: &[] },
    ];
    for row in &rows {
        run(&w, row).await;
    }
}

#[tokio::test]
#[rustfmt::skip] // a table reads best one row per line
async fn a_confidential_report_is_hidden_from_everyone_it_did_not_reach() {
    let w = TestApp::builder().world().await;
    // Disposed straight to A1: the parent agency A never reached it, so even A's admin is out.
    let hidden: &[Who] = &[Other, Parent, SiblingLiaison, ForeignAdmin, ForeignLiaison];
    let rows = [
        Row { name: "read", setup: confidential_direct(Stage::HeldByA1), method: "GET",
            path: "/v1/reports/{t}", body: no_body, allowed: 200,
            may: &[Reporter, National, OwnAdmin, OwnLiaison], hidden_from: hidden },
        Row { name: "comment", setup: confidential_direct(Stage::HeldByA1), method: "POST",
            path: "/v1/reports/{t}/comments", body: |_| json!({"body": "Komentar."}), allowed: 200,
            may: &[Reporter, National, OwnAdmin, OwnLiaison], hidden_from: hidden },
        Row { name: "copy", setup: confidential_direct(Stage::HeldByA1), method: "POST",
            path: "/v1/reports/{t}/copies", body: |w| json!({"agency_id": w.b}), allowed: 200,
            may: &[National, OwnAdmin], hidden_from: hidden },
        Row { name: "reopen", setup: confidential_direct(Stage::Closed), method: "POST",
            path: "/v1/reports/{t}/reopen", body: |_| json!({"reason": "Belum tuntas."}), allowed: 200,
            may: &[National, OwnAdmin, OwnLiaison], hidden_from: hidden },
        Row { name: "verify a confidential report addressed to A1", setup: Setup { stage: Stage::SubmittedForA1, confidential: true, anonymous: false, direct: false },
            method: "POST", path: "/v1/reports/{t}/verification", body: |_| json!({"decision": "verify"}), allowed: 200,
            may: &[National, OwnAdmin], hidden_from: hidden },
    ];
    for row in &rows {
        run(&w, row).await;
    }
    // Disposed through A, A reached it and may read it; B never did.
    let via_a = Row { name: "read via A", setup: Setup { stage: Stage::HeldByA1, confidential: true, anonymous: false, direct: false },
        method: "GET", path: "/v1/reports/{t}", body: no_body, allowed: 200,
        may: &[Reporter, National, Parent, OwnAdmin, OwnLiaison], hidden_from: &[Other, SiblingLiaison, ForeignAdmin, ForeignLiaison] };
    run(&w, &via_a).await;
    // The target A1 verifies it while it is addressed to A1; passed over for B1, A1 loses it.
    let passed_over = Row { name: "read after the target was passed over", setup: Setup { stage: Stage::PassedOverForB1, confidential: true, anonymous: false, direct: false },
        method: "GET", path: "/v1/reports/{t}", body: no_body, allowed: 200,
        may: &[Reporter, National, ForeignLiaison], hidden_from: &[Other, Parent, OwnAdmin, OwnLiaison, SiblingLiaison, ForeignAdmin] };
    run(&w, &passed_over).await;
    // A copy lets B read it too.
    let (t, _) = prepare(&w, &confidential_direct(Stage::HeldByA1)).await;
    w.app.report(&t, Some(&w.admin_b)).await.expect(404);
    w.app.act(&t, "copies", &w.admin_a1, json!({"agency_id": w.b})).await.expect(200);
    w.app.report(&t, Some(&w.admin_b)).await.expect(200);
    // And it never appears in the public feed.
    let feed = w.app.get("/v1/reports", None).await.expect(200);
    assert!(!feed.to_string().contains(&t));
}

#[tokio::test]
async fn an_unverified_report_is_seen_by_its_reporter_the_national_admins_and_its_target() {
    let w = TestApp::builder().world().await;
    let row = Row {
        name: "read a submitted report addressed to A1",
        setup: plain(Stage::SubmittedForA1),
        method: "GET",
        path: "/v1/reports/{t}",
        body: no_body,
        allowed: 200,
        may: &[Reporter, National, Parent, OwnAdmin, OwnLiaison],
        hidden_from: &[Other, SiblingLiaison, ForeignAdmin, ForeignLiaison],
    };
    run(&w, &row).await;
    let published = Row {
        name: "read a published report",
        setup: plain(Stage::HeldByA1),
        method: "GET",
        path: "/v1/reports/{t}",
        body: no_body,
        allowed: 200,
        may: &EVERYONE,
        hidden_from: &[],
    };
    run(&w, &published).await;
}

#[tokio::test]
async fn an_anonymous_reporter_is_known_only_to_themselves_and_the_national_admins() {
    let w = TestApp::builder().world().await;
    let setup = Setup {
        stage: Stage::InProgress,
        confidential: false,
        anonymous: true,
        direct: false,
    };
    let (t, _) = prepare(&w, &setup).await;
    w.app
        .act(
            &t,
            "replies",
            &w.reporter,
            json!({"body": "Balasan pelapor."}),
        )
        .await
        .expect(200);
    for who in EVERYONE {
        let view = w.app.report(&t, token(&w, who)).await.expect(200);
        let text = view.to_string();
        let knows = matches!(who, Reporter | National);
        assert_eq!(!view["reporter"].is_null(), knows, "{who:?} reporter field");
        assert_eq!(
            text.contains("Siti Aminah"),
            knows,
            "{who:?} sees the name somewhere"
        );
        assert!(
            !text.contains("siti@warga.test"),
            "{who:?}: e-mail is never in a report view"
        );
    }
    // Staff lists do not leak it either.
    let inbox = w
        .app
        .get("/v1/inbox?box=in_progress", Some(&w.liaison_a1))
        .await
        .expect(200);
    assert!(!inbox.to_string().contains("Siti"));
    let feed = w.app.get("/v1/reports", None).await.expect(200);
    assert!(!feed.to_string().contains("Siti"));
}

#[tokio::test]
async fn internal_comments_reach_staff_only() {
    let w = TestApp::builder().world().await;
    let (t, _) = prepare(&w, &plain(Stage::HeldByA1)).await;
    w.app
        .act(
            &t,
            "comments",
            &w.liaison_a1,
            json!({"body": "Catatan rahasia dinas.", "internal": true}),
        )
        .await
        .expect(200);
    w.app
        .act(
            &t,
            "comments",
            &w.liaison_a1,
            json!({"body": "Kami sedang menindaklanjuti."}),
        )
        .await
        .expect(200);
    for who in EVERYONE {
        let view = w.app.report(&t, token(&w, who)).await.expect(200);
        let sees = matches!(who, National | Parent | OwnAdmin | OwnLiaison);
        assert_eq!(
            view.to_string().contains("Catatan rahasia dinas."),
            sees,
            "{who:?}"
        );
        assert!(
            view.to_string().contains("Kami sedang menindaklanjuti."),
            "{who:?} sees public comments"
        );
    }
    // A citizen cannot write an internal comment.
    w.app
        .act(
            &t,
            "comments",
            &w.reporter,
            json!({"body": "Saya juga.", "internal": true}),
        )
        .await
        .expect(403);
}

#[tokio::test]
#[rustfmt::skip] // a table reads best one row per line
async fn who_may_manage_agencies_and_accounts() {
    let w = TestApp::builder().world().await;
    let app = &w.app;
    // Agencies: national anywhere, an agency admin below their own agency only.
    app.post("/v1/agencies", Some(&w.admin_a), json!({"name": "Dinas Tiga A", "parent_id": w.a})).await.expect(201);
    app.post("/v1/agencies", Some(&w.admin_a), json!({"name": "Unit di B", "parent_id": w.b})).await.expect(403);
    app.post("/v1/agencies", Some(&w.admin_a), json!({"name": "Instansi Baru"})).await.expect(403);
    app.post("/v1/agencies", Some(&w.liaison_a1), json!({"name": "Seksi A1", "parent_id": w.a1})).await.expect(403);
    app.post("/v1/agencies", Some(&w.reporter), json!({"name": "Instansi Saya"})).await.expect(403);
    app.post("/v1/agencies", None, json!({"name": "Instansi Saya"})).await.expect(401);
    // Profiles: own officers and admins above.
    let patch_with = |who: &str, id: &str, body: Value| {
        let (who, path) = (who.to_string(), format!("/v1/agencies/{id}"));
        async move { app.send(reqwest::Method::PATCH, &path, Some(&who), Some(&body)).await.status }
    };
    let patch = |who: &str, id: &str| patch_with(who, id, json!({"description": "Profil baru."}));
    assert_eq!(patch(&w.liaison_a1, &w.a1).await, 200);
    assert_eq!(patch(&w.admin_a, &w.a1).await, 200);
    assert_eq!(patch(&w.liaison_a2, &w.a1).await, 403);
    assert_eq!(patch(&w.admin_b, &w.a1).await, 403);
    assert_eq!(patch(&w.admin_a1, &w.a).await, 403);
    assert_eq!(patch(&w.reporter, &w.a1).await, 403);
    // The response deadline: only those above the agency set it, never the agency itself.
    let deadline = || json!({"response_days": 10});
    assert_eq!(patch_with(&w.liaison_a1, &w.a1, deadline()).await, 403);
    assert_eq!(patch_with(&w.admin_a1, &w.a1, deadline()).await, 403);
    assert_eq!(patch_with(&w.admin_a, &w.a1, deadline()).await, 200);
    assert_eq!(patch_with(&w.national, &w.a1, deadline()).await, 200);
    // Users: national any, agency admin within its subtree, never a national admin.
    let user = |email: &str, role: &str, agency: Option<&str>| {
        json!({"name": "Pegawai", "email": email, "password": lapor_tests::PASSWORD, "role": role, "agency_id": agency})
    };
    app.post("/v1/users", Some(&w.admin_a), user("p1@lapor.test", "liaison_officer", Some(&w.a1))).await.expect(201);
    app.post("/v1/users", Some(&w.admin_a), user("p2@lapor.test", "liaison_officer", Some(&w.b1))).await.expect(403);
    app.post("/v1/users", Some(&w.admin_a), user("p3@lapor.test", "national_admin", None)).await.expect(403);
    app.post("/v1/users", Some(&w.liaison_a1), user("p4@lapor.test", "liaison_officer", Some(&w.a1))).await.expect(403);
    app.post("/v1/users", Some(&w.reporter), user("p5@lapor.test", "liaison_officer", Some(&w.a1))).await.expect(403);
    app.post("/v1/users", Some(&w.national), user("p6@lapor.test", "national_admin", None)).await.expect(201);
    app.post("/v1/users", Some(&w.national), user("p6@lapor.test", "liaison_officer", Some(&w.a1))).await.expect(409);
}

/// Who may change an account (`PATCH /v1/users/{id}`: here a rename, which changes no power)
/// and list the staff (`GET /v1/users`): the admins who may make such an account; an account out
/// of an admin's reach is answered as one they cannot see.
#[tokio::test]
#[rustfmt::skip] // a table reads best one row per line
async fn who_may_change_and_list_accounts() {
    let w = TestApp::builder().world().await;
    let id = |token: &str| {
        let (app, token) = (&w.app, token.to_string());
        async move { app.get("/v1/me", Some(&token)).await.expect(200)["id"].as_str().unwrap().to_string() }
    };
    let (own, foreign, citizen) = (id(&w.liaison_a1).await, id(&w.liaison_b1).await, id(&w.reporter).await);
    //           who             own liaison  foreign liaison  citizen  list
    let table = [
        (Reporter,       [403,         403,             403,     403]),
        (Other,          [403,         403,             403,     403]),
        (Public,         [401,         401,             401,     401]),
        (National,       [200,         200,             200,     200]),
        (Parent,         [200,         404,             404,     200]),
        (OwnAdmin,       [200,         404,             404,     200]),
        (OwnLiaison,     [403,         403,             403,     403]),
        (SiblingLiaison, [403,         403,             403,     403]),
        (ForeignAdmin,   [404,         200,             404,     200]),
        (ForeignLiaison, [403,         403,             403,     403]),
    ];
    assert_eq!(table.map(|(who, _)| who), EVERYONE);
    for (who, [on_own, on_foreign, on_citizen, list]) in table {
        let token = token(&w, who);
        for (target, expected) in [(&own, on_own), (&foreign, on_foreign), (&citizen, on_citizen)] {
            let path = format!("/v1/users/{target}");
            let body = json!({"name": "Nama Yang Diubah"});
            let status = w.app.send(reqwest::Method::PATCH, &path, token, Some(&body)).await.status;
            assert_eq!(status, expected, "{who:?} renames {target}");
        }
        assert_eq!(w.app.get("/v1/users", token).await.status, list, "{who:?} lists the staff");
    }
}
