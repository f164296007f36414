//! Accounts that can be stopped: admins deactivate accounts and change their roles and agencies,
//! which takes effect at once, even on tokens already issued; the last national admin stays;
//! admins list the staff they manage; everyone changes their own name, contact and password.

use lapor_tests::{PASSWORD, TestApp, World};
use reqwest::Method;
use serde_json::{Value, json};

async fn id(w: &World, token: &str) -> String {
    let me = w.app.get("/v1/me", Some(token)).await.expect(200);
    me["id"].as_str().unwrap().to_string()
}

async fn patch_user(w: &World, admin: &str, id: &str, body: Value) -> lapor_tests::Answer {
    let path = format!("/v1/users/{id}");
    w.app
        .send(Method::PATCH, &path, Some(admin), Some(&body))
        .await
}

async fn patch_me(w: &World, token: &str, body: Value) -> lapor_tests::Answer {
    w.app
        .send(Method::PATCH, "/v1/me", Some(token), Some(&body))
        .await
}

async fn sign_in(w: &World, login: &str, password: &str) -> u16 {
    let body = json!({"login": login, "password": password});
    w.app.post("/v1/auth/login", None, body).await.status
}

#[tokio::test]
async fn a_deactivated_account_cannot_sign_in_and_its_tokens_stop_at_once() {
    let w = TestApp::builder().world().await;
    let officer = id(&w, &w.liaison_a1).await;
    w.app
        .get("/v1/inbox", Some(&w.liaison_a1))
        .await
        .expect(200);

    let account = patch_user(&w, &w.admin_a, &officer, json!({"active": false}))
        .await
        .expect(200);
    assert_eq!(account["active"], false);
    w.app
        .get("/v1/inbox", Some(&w.liaison_a1))
        .await
        .expect(401);
    w.app.get("/v1/me", Some(&w.liaison_a1)).await.expect(401);
    assert_eq!(sign_in(&w, "petugas.a1@lapor.test", PASSWORD).await, 403);
    assert_eq!(
        sign_in(&w, "petugas.a1@lapor.test", "salah-sandi-sekali").await,
        401
    );

    patch_user(&w, &w.national, &officer, json!({"active": true}))
        .await
        .expect(200);
    // Active again, but the tokens of before stay dead: only a new sign-in works.
    w.app
        .get("/v1/inbox", Some(&w.liaison_a1))
        .await
        .expect(401);
    let again = w.app.login("petugas.a1@lapor.test", PASSWORD).await;
    w.app.get("/v1/inbox", Some(&again)).await.expect(200);
}

#[tokio::test]
async fn a_changed_role_or_agency_never_keeps_the_old_powers() {
    let w = TestApp::builder().world().await;
    let officer = id(&w, &w.liaison_a1).await;
    let moved = patch_user(&w, &w.national, &officer, json!({"agency_id": w.b1}))
        .await
        .expect(200);
    assert_eq!(moved["agency_id"], w.b1.as_str());
    w.app
        .get("/v1/inbox", Some(&w.liaison_a1))
        .await
        .expect(401);
    let again = w.app.login("petugas.a1@lapor.test", PASSWORD).await;
    let me = w.app.get("/v1/me", Some(&again)).await.expect(200);
    assert_eq!(me["agency_id"], w.b1.as_str());

    let admin = id(&w, &w.admin_a1).await;
    let demoted = patch_user(&w, &w.admin_a, &admin, json!({"role": "liaison_officer"}))
        .await
        .expect(200);
    assert_eq!(demoted["role"], "liaison_officer");
    let staff = json!({"name": "Pegawai Baru", "email": "baru@lapor.test",
        "password": PASSWORD, "role": "liaison_officer", "agency_id": w.a1});
    w.app
        .post("/v1/users", Some(&w.admin_a1), staff)
        .await
        .expect(401);
}

#[tokio::test]
async fn agency_admins_keep_accounts_within_their_subtree() {
    let w = TestApp::builder().world().await;
    let officer = id(&w, &w.liaison_a1).await;
    let to_b1 = json!({"agency_id": w.b1});
    patch_user(&w, &w.admin_a, &officer, to_b1)
        .await
        .expect(403);
    let promote = json!({"role": "national_admin"});
    patch_user(&w, &w.admin_a, &officer, promote)
        .await
        .expect(403);
    let within = json!({"agency_id": w.a2});
    patch_user(&w, &w.admin_a, &officer, within)
        .await
        .expect(200);
    let citizen = id(&w, &w.reporter).await;
    let staff_citizen = json!({"role": "liaison_officer"});
    patch_user(&w, &w.national, &citizen, staff_citizen)
        .await
        .expect(422);
    patch_user(&w, &w.national, &officer, json!({"active": "no"}))
        .await
        .expect(422);
}

#[tokio::test]
async fn the_last_active_national_admin_stays_one() {
    let w = TestApp::builder().world().await;
    let first = id(&w, &w.national).await;
    for change in [
        json!({"active": false}),
        json!({"role": "agency_admin", "agency_id": w.a}),
    ] {
        let refused = patch_user(&w, &w.national, &first, change).await;
        assert_eq!(refused.status, 409, "{}", refused.body);
    }
    let second = w
        .app
        .staff(
            &w.national,
            "nasional.dua@lapor.test",
            "national_admin",
            None,
        )
        .await;
    patch_user(&w, &second, &first, json!({"active": false}))
        .await
        .expect(200);
    w.app.get("/v1/inbox", Some(&w.national)).await.expect(401);
    let second_id = id(&w, &second).await;
    patch_user(&w, &second, &second_id, json!({"active": false}))
        .await
        .expect(409);
}

#[tokio::test]
async fn admins_list_the_staff_they_manage_page_by_page() {
    let w = TestApp::builder().world().await;
    let emails = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["email"].as_str().unwrap().to_string())
            .collect()
    };
    let all = w
        .app
        .get("/v1/users?limit=100", Some(&w.national))
        .await
        .expect(200);
    let mut everyone = emails(&all);
    everyone.sort();
    assert_eq!(
        everyone.len(),
        7,
        "the national admin and six staff, no citizen: {everyone:?}"
    );
    assert!(
        everyone.iter().all(|e| !e.contains("warga")),
        "{everyone:?}"
    );

    let mut of_a = emails(&w.app.get("/v1/users", Some(&w.admin_a)).await.expect(200));
    of_a.sort();
    assert_eq!(
        of_a,
        [
            "admin.a1@lapor.test",
            "admin.a@lapor.test",
            "petugas.a1@lapor.test",
            "petugas.a2@lapor.test"
        ]
    );
    let first = w
        .app
        .get("/v1/users?limit=3", Some(&w.admin_a))
        .await
        .expect(200);
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = w
        .app
        .get(
            &format!("/v1/users?limit=3&cursor={cursor}"),
            Some(&w.admin_a),
        )
        .await
        .expect(200);
    assert_eq!(emails(&first).len() + emails(&rest).len(), 4);
    assert!(rest["next_cursor"].is_null());
    // Another admin's cursor is another list's.
    w.app
        .get(&format!("/v1/users?cursor={cursor}"), Some(&w.admin_b))
        .await
        .expect(400);
}

#[tokio::test]
async fn my_account_changes_with_the_current_password_for_contact_and_password() {
    let w = TestApp::builder().world().await;
    let renamed = patch_me(&w, &w.reporter, json!({"name": "Siti Rahmawati"}))
        .await
        .expect(200);
    assert_eq!(renamed["name"], "Siti Rahmawati");

    let new_email = json!({"email": "siti.baru@warga.test"});
    let answer = patch_me(&w, &w.reporter, new_email.clone()).await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    let wrong = json!({"email": "siti.baru@warga.test", "current_password": "bukan-sandinya"});
    patch_me(&w, &w.reporter, wrong).await.expect(422);
    let taken = json!({"email": "budi@warga.test", "current_password": PASSWORD});
    patch_me(&w, &w.reporter, taken).await.expect(409);
    let right = json!({"email": "siti.baru@warga.test", "current_password": PASSWORD});
    patch_me(&w, &w.reporter, right).await.expect(200);
    assert_eq!(sign_in(&w, "siti.baru@warga.test", PASSWORD).await, 200);
    assert_eq!(sign_in(&w, "siti@warga.test", PASSWORD).await, 401);

    let password = json!({"password": "kata-sandi-baru-sekali", "current_password": PASSWORD});
    patch_me(&w, &w.reporter, password).await.expect(200);
    // A new password ends every session: a token taken with the old one dies with it.
    w.app.get("/v1/me", Some(&w.reporter)).await.expect(401);
    assert_eq!(sign_in(&w, "siti.baru@warga.test", PASSWORD).await, 401);
    let again = w
        .app
        .login("siti.baru@warga.test", "kata-sandi-baru-sekali")
        .await;
    // The e-mail address cannot go: it is the only way to sign in.
    let no_email = json!({"email": null, "current_password": "kata-sandi-baru-sekali"});
    patch_me(&w, &again, no_email).await.expect(422);
}

/// A citizen's contact is confirmed by a code the gateway carries; until then nothing is sent
/// to it, a password reset included. A reset code sets a new password and ends every token.
#[tokio::test]
async fn contacts_are_confirmed_by_a_code_and_passwords_reset_by_one() {
    let (channel, gateway) = lapor_tests::gateway::start().await;
    let app = TestApp::builder().webhooks(vec![channel]).spawn().await;
    let email = "rina@warga.test";
    app.post(
        "/v1/auth/register",
        None,
        json!({"name": "Rina", "email": email, "password": PASSWORD}),
    )
    .await
    .expect(201);
    // Signing in works at once.
    let token = app.login(email, PASSWORD).await;
    let me = app.get("/v1/me", Some(&token)).await.expect(200);
    assert_eq!(me["email_confirmed"], false);
    let first = gateway
        .last_code(email)
        .expect("a code sent at registration");

    // Unconfirmed: a reset sends nothing, and answers as for an unknown login.
    let reset = json!({"login": email});
    let asked = app
        .post("/v1/auth/password-reset", None, reset.clone())
        .await;
    assert_eq!(asked.status, 202);
    let unknown = app
        .post(
            "/v1/auth/password-reset",
            None,
            json!({"login": "tidak.ada@warga.test"}),
        )
        .await;
    assert_eq!((unknown.status, unknown.body), (asked.status, asked.body));
    assert_eq!(gateway.all().len(), 1, "only the registration's code");
    // Nor does a notification of her report carry the address.
    let admin = app.admin_token().await;
    let t = app
        .submit(Some(&token), lapor_tests::report(json!({})))
        .await["tracking_id"]
        .as_str()
        .unwrap()
        .to_string();
    let verify = json!({"decision": "verify"});
    app.act(&t, "verification", &admin, verify)
        .await
        .expect(200);
    app.settle().await;
    let told: Vec<Value> = gateway
        .all()
        .into_iter()
        .filter(|m| m["tracking_id"] == t.as_str())
        .collect();
    assert!(!told.is_empty(), "the gateway heard of the report");
    assert!(told.iter().all(|m| m["to"]["email"].is_null()), "{told:?}");

    let wrong = if first == "000000" {
        "111111"
    } else {
        "000000"
    };
    let confirm = |code: &str| json!({"channel": "email", "code": code});
    let refused = app
        .post("/v1/me/confirmation", Some(&token), confirm(wrong))
        .await
        .expect(422);
    assert_eq!(refused["errors"][0]["field"], "code");
    let me = app
        .post("/v1/me/confirmation", Some(&token), confirm(&first))
        .await
        .expect(200);
    assert_eq!(me["email_confirmed"], true);
    app.act(
        &t,
        "comments",
        &admin,
        json!({"body": "Sedang kami teliti."}),
    )
    .await
    .expect(200);
    app.settle().await;
    assert!(
        gateway
            .all()
            .iter()
            .any(|m| m["tracking_id"] == t.as_str() && m["to"]["email"] == email),
        "once confirmed, the address is told"
    );
    // Used: it confirms nothing twice, and a confirmed contact needs no code.
    app.post(
        "/v1/me/confirmation",
        Some(&token),
        json!({"channel": "email"}),
    )
    .await
    .expect(409);

    app.post("/v1/auth/password-reset", None, reset)
        .await
        .expect(202);
    let code = gateway.last_code(email).expect("a reset code");
    assert_ne!(code, first);
    let new_password = "kata-sandi-baru-yang-panjang";
    let change = |code: &str| json!({"login": email, "code": code, "password": new_password});
    let wrong = if code == "000000" { "111111" } else { "000000" };
    app.post("/v1/auth/password-reset", None, change(wrong))
        .await
        .expect(422);
    app.post("/v1/auth/password-reset", None, change(&code))
        .await
        .expect(200);
    app.get("/v1/me", Some(&token)).await.expect(401);
    app.login(email, new_password).await;
    // A code works once.
    app.post("/v1/auth/password-reset", None, change(&code))
        .await
        .expect(422);
}

/// Wrong codes are throttled per account, wherever they come from.
#[tokio::test]
async fn guesses_at_a_code_are_throttled() {
    let (channel, _gateway) = lapor_tests::gateway::start().await;
    let app = TestApp::builder().webhooks(vec![channel]).spawn().await;
    let token = app.citizen("dewi@warga.test", "Dewi").await;
    let guess = |n: u32| json!({"channel": "email", "code": format!("{n:06}")});
    let mut statuses = Vec::new();
    for n in 0..7 {
        statuses.push(
            app.post("/v1/me/confirmation", Some(&token), guess(n))
                .await
                .status,
        );
    }
    assert_eq!(statuses[..5], [422; 5]);
    assert_eq!(statuses[5..], [429; 2]);
}

/// A code confirms the contact it was sent to, never another put in its place.
#[tokio::test]
async fn a_code_confirms_only_the_contact_it_was_sent_to() {
    let (channel, gateway) = lapor_tests::gateway::start().await;
    let app = TestApp::builder().webhooks(vec![channel]).spawn().await;
    let mine = "pemilik@warga.test";
    let token = app.citizen(mine, "Pemilik").await;
    let code = gateway
        .last_code(mine)
        .expect("a code sent at registration");
    let moved = json!({"email": "korban@warga.test", "current_password": PASSWORD});
    app.send(Method::PATCH, "/v1/me", Some(&token), Some(&moved))
        .await
        .expect(200);
    let confirm = json!({"channel": "email", "code": code});
    app.post("/v1/me/confirmation", Some(&token), confirm)
        .await
        .expect(422);
    let me = app.get("/v1/me", Some(&token)).await.expect(200);
    assert_eq!(me["email_confirmed"], false);
}

/// Registrations are throttled per client: each sends messages that cost money.
#[tokio::test]
async fn registrations_are_throttled_per_client() {
    let app = TestApp::builder().spawn().await;
    let mut statuses = Vec::new();
    for n in 0..21 {
        let body =
            json!({"name": "Warga", "email": format!("warga{n}@warga.test"), "password": PASSWORD});
        statuses.push(app.post("/v1/auth/register", None, body).await.status);
    }
    assert!(statuses[..20].iter().all(|s| *s == 201), "{statuses:?}");
    assert_eq!(statuses[20], 429);
}
