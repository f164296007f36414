//! The sample API Gateway events in `events/`, each served by its function's routes (as
//! `lambda_http` hands them to the router in AWS) on the embedded backend, in the order of a
//! report's life on the development world: what `cargo lambda invoke --data-file` does against
//! `cargo lambda watch`.

use std::path::Path;

use axum::body::to_bytes;
use lapor_http::{AppState, RouteGroup};
use serde_json::Value;
use tower::ServiceExt;

/// What a function serves: a group of API routes, or the web pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Served {
    Api(RouteGroup),
    Web,
}

/// The function each folder of `events/` belongs to.
const FUNCTIONS: [(&str, Served); 7] = [
    ("submission", Served::Api(RouteGroup::Submission)),
    ("verification", Served::Api(RouteGroup::Verification)),
    ("disposition", Served::Api(RouteGroup::Disposition)),
    ("follow-up", Served::Api(RouteGroup::FollowUp)),
    ("queries", Served::Api(RouteGroup::Queries)),
    ("accounts", Served::Api(RouteGroup::Accounts)),
    ("web", Served::Web),
];

/// Every event, in the order of a report's life, and the status it must get.
const LIFE: [(&str, u16); 48] = [
    ("queries/health", 200),
    ("queries/openapi", 200),
    ("accounts/register", 201),
    ("accounts/login", 200),
    // The new account's address is not confirmed: no code goes to it, and the answer is the
    // same as for any login.
    ("accounts/password-reset", 202),
    // Siti's address is confirmed already; the sample's code is not one sent.
    ("accounts/confirm-contact", 422),
    ("accounts/create-agency", 201),
    ("accounts/create-user", 201),
    ("accounts/patch-agency", 200),
    ("queries/users", 200),
    ("accounts/update-user", 200),
    ("accounts/update-me", 200),
    ("queries/agencies", 200),
    ("queries/agency", 200),
    ("queries/me", 200),
    ("accounts/create-category", 201),
    ("accounts/patch-category", 200),
    ("queries/categories", 200),
    ("queries/provinces", 200),
    ("queries/region", 200),
    ("submission/upload", 201),
    ("submission/submit", 201),
    // The reporter is signed in: the report has no access code to guess.
    ("submission/access", 401),
    ("queries/report", 200),
    // The sample names no attached file: nobody may download it.
    ("queries/attachment", 404),
    ("verification/verify", 200),
    ("disposition/dispose", 200),
    ("disposition/copy", 200),
    ("queries/inbox", 200),
    ("disposition/not-authority-request", 201),
    ("disposition/not-authority-decision", 200),
    ("follow-up/follow-up", 200),
    ("follow-up/comment", 200),
    ("follow-up/reply", 200),
    ("follow-up/rating", 200),
    ("follow-up/close", 200),
    ("follow-up/reopen", 200),
    ("disposition/forward", 200),
    // Completion is only for a report returned to its reporter.
    ("follow-up/complete", 409),
    ("queries/feed", 200),
    ("queries/notifications", 200),
    ("accounts/read-notifications", 200),
    ("web/home", 200),
    ("web/feed", 200),
    ("web/report", 200),
    ("web/track", 200),
    ("web/sign-in", 200),
    // A form posted without its token (as a page of another site would) changes nothing.
    ("web/forged-form", 403),
];

/// The tracking id and request id the sample events name; the test puts in the real ones.
const SAMPLE_TRACKING: &str = "12345678";
const SAMPLE_REQUEST: &str = "01JDF5M00000000000000002R1";

fn events_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../events")
}

fn served_by(event: &str) -> Served {
    let folder = event.split('/').next().unwrap_or_default();
    FUNCTIONS
        .iter()
        .find(|(name, _)| *name == folder)
        .map(|(_, served)| *served)
        .unwrap_or_else(|| panic!("{event}: no function named {folder}"))
}

async fn dev_state(dir: &Path) -> AppState {
    let vars = [
        ("LAPOR_DATA_DIR", dir.display().to_string()),
        ("LAPOR_JWT_SECRET", lapor_setup::dev::SECRET.to_string()),
        ("LAPOR_DEV_SEED", "1".to_string()),
        // The events' host, as the embedded backend's blob URLs must name a configured one.
        (
            "LAPOR_PUBLIC_URL",
            "https://lapor.execute-api.ap-southeast-3.amazonaws.com".to_string(),
        ),
    ];
    let config = lapor_setup::Config::from_lookup(|name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    })
    .unwrap();
    lapor_setup::build(&config).await.unwrap()
}

/// Serves one event's text as the function serving `served` does: status and body, parsed
/// when it is JSON (`Value::Null` for a page).
async fn invoke(state: &AppState, served: Served, text: &str) -> (u16, Value) {
    let request = lambda_http::request::from_str(text).expect("an API Gateway v2 event");
    let router = match served {
        Served::Api(group) => lapor_lambda::router(state.clone(), &[group]),
        Served::Web => lapor_lambda::web_router(state.clone()),
    };
    let response = router.oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let html = response
        .headers()
        .get("content-type")
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    if html {
        let page = String::from_utf8_lossy(&body);
        assert!(page.contains("<html lang=\"id\">"), "a page: {page}");
        return (status, Value::Null);
    }
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

#[tokio::test]
async fn every_sample_event_is_served_by_its_function_through_a_reports_life() {
    let dir = tempfile::tempdir().unwrap();
    let state = dev_state(dir.path()).await;
    let (mut tracking, mut request) = (None::<String>, None::<String>);
    for (event, expected) in LIFE {
        let mut text = std::fs::read_to_string(events_dir().join(format!("{event}.json")))
            .unwrap_or_else(|e| panic!("{event}: {e}"));
        if let Some(t) = &tracking {
            text = text.replace(SAMPLE_TRACKING, t);
        }
        if let Some(r) = &request {
            text = text.replace(SAMPLE_REQUEST, r);
        }
        let served = served_by(event);
        let (status, body) = invoke(&state, served, &text).await;
        assert_eq!(status, expected, "{event}: {body}");
        assert_eq!(
            body.is_object(),
            served != Served::Web,
            "{event}: JSON, or a page"
        );
        if event == "submission/submit" {
            tracking = body["tracking_id"].as_str().map(String::from);
        }
        if event == "disposition/not-authority-request" {
            request = body["request_id"].as_str().map(String::from);
        }
    }
}

#[tokio::test]
async fn each_event_is_served_by_its_own_function_only() {
    let dir = tempfile::tempdir().unwrap();
    let state = dev_state(dir.path()).await;
    for (event, _) in LIFE {
        let text = std::fs::read_to_string(events_dir().join(format!("{event}.json"))).unwrap();
        for (name, served) in FUNCTIONS {
            if served == served_by(event) {
                continue;
            }
            let (status, _) = invoke(&state, served, &text).await;
            assert!(
                [404, 405].contains(&status),
                "{event} was served by {name} ({status})"
            );
        }
    }
}

#[test]
fn every_event_file_is_in_the_life() {
    let mut files = Vec::new();
    for (name, _) in FUNCTIONS {
        for file in std::fs::read_dir(events_dir().join(name)).unwrap() {
            let path = file.unwrap().path();
            let stem = path.file_stem().unwrap().to_string_lossy().to_string();
            files.push(format!("{name}/{stem}"));
        }
    }
    files.sort();
    let mut life: Vec<String> = LIFE.iter().map(|(e, _)| e.to_string()).collect();
    life.sort();
    assert_eq!(files, life);
}

/// The workspace's `[workspace.metadata.lambda]` table, which `cargo lambda watch` reads.
fn watch_metadata() -> toml::Table {
    let manifest: toml::Table =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml"))
            .unwrap()
            .parse()
            .unwrap();
    manifest["workspace"]["metadata"]["lambda"]
        .as_table()
        .unwrap()
        .clone()
}

#[test]
fn cargo_lambda_watch_runs_with_the_secret_the_events_are_signed_with() {
    let env = &watch_metadata()["env"];
    assert_eq!(
        env["LAPOR_JWT_SECRET"].as_str(),
        Some(lapor_setup::dev::SECRET)
    );
    assert_eq!(env["LAPOR_DEV_SEED"].as_str(), Some("1"));
    assert_eq!(env["LAPOR_BACKEND"].as_str(), Some("embedded"));
}

#[test]
fn cargo_lambda_watch_routes_each_event_to_its_function() {
    let router = watch_metadata()["watch"]["router"]
        .as_table()
        .unwrap()
        .clone();
    let mut paths = std::collections::BTreeSet::new();
    for (event, _) in LIFE {
        let text = std::fs::read_to_string(events_dir().join(format!("{event}.json"))).unwrap();
        let parsed: Value = serde_json::from_str(&text).unwrap();
        let (method, path) = parsed["routeKey"]
            .as_str()
            .unwrap()
            .split_once(' ')
            .unwrap();
        // API Gateway's greedy path is matchit's catch-all in cargo lambda watch.
        let path = path.replace("{proxy+}", "{*proxy}");
        paths.insert(path.clone());
        let function = match &router[path.as_str()] {
            toml::Value::String(function) => function.clone(),
            toml::Value::Array(routes) => routes
                .iter()
                .find(|r| r["method"].as_str() == Some(method))
                .and_then(|r| r["function"].as_str())
                .unwrap_or_else(|| panic!("{event}: no {method} route"))
                .to_string(),
            other => panic!("{path}: {other:?}"),
        };
        assert_eq!(function, event.split('/').next().unwrap(), "{event}");
    }
    assert_eq!(
        router.len(),
        paths.len(),
        "the paths of the events, and no other"
    );
}

#[test]
fn the_samples_name_the_development_world() {
    let event: Value = serde_json::from_str(
        &std::fs::read_to_string(events_dir().join("disposition/dispose.json")).unwrap(),
    )
    .unwrap();
    let body: Value = serde_json::from_str(event["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["agency_id"], lapor_setup::dev::PUBLIC_WORKS);
}

/// On Lambda the client's address is API Gateway's `sourceIp`: guesses from one address do not
/// lock the account's owner out at another.
#[tokio::test]
async fn sign_in_guesses_are_counted_per_source_ip() {
    let dir = tempfile::tempdir().unwrap();
    let state = dev_state(dir.path()).await;
    let sample = std::fs::read_to_string(events_dir().join("accounts/login.json")).unwrap();
    let login = |password: &str, source_ip: &str| {
        sample
            .replace("warga.baru@contoh.id", "siti@contoh.id")
            .replace("kata-sandi-rahasia", password)
            .replace("203.0.113.10", source_ip)
    };
    for _ in 0..5 {
        let (status, _) = invoke(
            &state,
            Served::Api(RouteGroup::Accounts),
            &login("tebakan-salah", "203.0.113.66"),
        )
        .await;
        assert_eq!(status, 401);
    }
    let right = lapor_setup::dev::PASSWORD;
    let (status, _) = invoke(
        &state,
        Served::Api(RouteGroup::Accounts),
        &login(right, "203.0.113.66"),
    )
    .await;
    assert_eq!(status, 429, "the guesser's address waits");
    let (status, body) = invoke(
        &state,
        Served::Api(RouteGroup::Accounts),
        &login(right, "198.51.100.7"),
    )
    .await;
    assert_eq!(status, 200, "the owner elsewhere signs in: {body}");
}
