//! The OpenAPI document against the route table and the router: the same operations both ways,
//! each served by the real router (not its fallback), each listing what it may answer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use axum::body::{Body, to_bytes};
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use lapor_http::openapi::{self, LOCAL_ONLY_TAG, X_FUNCTION, X_LOCAL_ONLY};
use lapor_http::routes::{self, UNDOCUMENTED};
use lapor_http::{AppState, RouteGroup};
use serde_json::Value;
use tower::ServiceExt;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];

/// The operations that read and write no store, so never answer 503: the document itself.
const STORELESS: [&str; 1] = ["openApiDocument"];

/// The operations that count wrong guesses (sign-in, access codes), so answer 429.
const THROTTLED: [&str; 6] = [
    "register",
    "signIn",
    "openReport",
    "updateMe",
    "confirmContact",
    "resetPassword",
];

/// The operations with a path parameter that never answer 404: an unknown tracking id opens
/// nothing, exactly as a wrong access code (401), so as not to tell which reports exist.
const NO_NOT_FOUND: [&str; 1] = ["openReport"];

fn document() -> Value {
    serde_json::to_value(openapi::document()).unwrap()
}

/// Every (METHOD, path) of the document, with its operation.
fn operations(doc: &Value) -> BTreeMap<(String, String), Value> {
    let mut found = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                found.insert((method.to_uppercase(), path.clone()), operation.clone());
            }
        }
    }
    found
}

/// Every (METHOD, path as axum writes it) the routers of all groups serve.
fn served() -> BTreeSet<(String, String)> {
    RouteGroup::ALL
        .into_iter()
        .flat_map(routes::served)
        .map(|(method, path)| (method.to_string(), path))
        .collect()
}

#[test]
fn the_router_and_the_document_list_the_same_v1_operations() {
    let documented: BTreeSet<(String, String)> = operations(&document()).into_keys().collect();
    let served_v1: BTreeSet<(String, String)> = served()
        .into_iter()
        .filter(|(_, path)| path.starts_with("/v1/"))
        .map(|(method, path)| (method, openapi::openapi_path(&path)))
        .collect();
    let undocumented: Vec<_> = served_v1.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&served_v1).collect();
    assert!(
        undocumented.is_empty(),
        "served, not documented: {undocumented:?}"
    );
    assert!(unserved.is_empty(), "documented, not served: {unserved:?}");
    assert!(documented.len() >= 30, "{documented:?}");
    for (_, method, path) in UNDOCUMENTED {
        assert!(
            !path.starts_with("/v1"),
            "{method} {path} must be documented"
        );
    }
    assert!(documented.contains(&("GET".into(), "/v1/openapi.json".into())));
    assert!(!documented.iter().any(|(_, path)| path == "/health"));
}

#[test]
fn each_operation_names_where_it_is_served() {
    let doc = document();
    for group in RouteGroup::ALL {
        for (method, path) in routes::served(group) {
            if !path.starts_with("/v1/") {
                continue;
            }
            let path = openapi::openapi_path(&path);
            let operation = &doc["paths"][&path][method.as_str().to_lowercase()];
            let tags = &operation["tags"];
            match group.function() {
                Some(function) => {
                    assert_eq!(operation[X_FUNCTION], function, "{method} {path}");
                    assert!(operation.get(X_LOCAL_ONLY).is_none(), "{method} {path}");
                    assert!(
                        !tags.to_string().contains(LOCAL_ONLY_TAG),
                        "{method} {path}"
                    );
                }
                None => {
                    assert_eq!(operation[X_LOCAL_ONLY], true, "{method} {path}");
                    assert!(operation.get(X_FUNCTION).is_none(), "{method} {path}");
                    assert_eq!(
                        tags,
                        &serde_json::json!([LOCAL_ONLY_TAG]),
                        "{method} {path}"
                    );
                    let said = operation["description"].as_str().unwrap_or_default();
                    assert!(
                        said.contains("`lapor-local` only"),
                        "{method} {path}: {said}"
                    );
                }
            }
        }
    }
}

/// A state on a fresh embedded store.
async fn state(dir: &Path) -> AppState {
    let vars = [
        ("LAPOR_DATA_DIR", dir.display().to_string()),
        ("LAPOR_JWT_SECRET", lapor_setup::dev::SECRET.to_string()),
    ];
    let config = lapor_setup::Config::from_lookup(|name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    })
    .unwrap();
    lapor_setup::build(&config).await.unwrap()
}

/// The route a request matched, in a response header: absent when the router's fallback
/// answered.
async fn matched(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string());
    let mut response = next.run(request).await;
    if let Some(route) = route.and_then(|r| HeaderValue::from_str(&r).ok()) {
        response.headers_mut().insert("x-matched-route", route);
    }
    response
}

/// A path with sample parameters.
fn sample(path: &str) -> String {
    path.replace("{tracking_id}", "12345678")
        .replace("{request_id}", "01JDF5M00000000000000002R1")
        .replace("{id}", "01JDF5M00000000000000002R1")
        .replace("{*key}", "attachments/pending/0123456789abcdef")
}

async fn send(router: &axum::Router, method: &str, uri: &str) -> Response {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::empty())
        .unwrap();
    router.clone().oneshot(request).await.unwrap()
}

#[tokio::test]
async fn the_router_serves_every_route_of_the_table_with_its_handler() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path()).await;
    let full = lapor_http::full_router(state.clone()).route_layer(middleware::from_fn(matched));
    for (method, path) in served() {
        let response = send(&full, &method, &sample(&path)).await;
        let status = response.status();
        let route = response.headers().get("x-matched-route").cloned();
        assert_eq!(
            route.as_ref().and_then(|r| r.to_str().ok()),
            Some(path.as_str()),
            "{method} {path}: answered {status} by the fallback"
        );
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
    }
    // Each group's function serves its own routes, and only those.
    for group in RouteGroup::ALL {
        let own =
            lapor_http::router(state.clone(), &[group]).route_layer(middleware::from_fn(matched));
        let mine: BTreeSet<(String, String)> = routes::served(group)
            .into_iter()
            .map(|(method, path)| (method.to_string(), path))
            .collect();
        for (method, path) in served() {
            let response = send(&own, &method, &sample(&path)).await;
            let route = response.headers().get("x-matched-route").cloned();
            let served_here =
                route.is_some() && response.status() != StatusCode::METHOD_NOT_ALLOWED;
            assert_eq!(
                served_here,
                mine.contains(&(method.clone(), path.clone())),
                "{group:?}: {method} {path}"
            );
        }
    }
}

#[tokio::test]
async fn the_queries_function_serves_the_document_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let router = lapor_http::router(state(dir.path()).await, &[RouteGroup::Queries]);
    let response = send(&router, "GET", "/v1/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let served: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(served, document());
    assert_eq!(served["openapi"], "3.1.0");
}

/// The object a `$ref` names, or the value itself.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').unwrap();
            doc.pointer(pointer)
                .unwrap_or_else(|| panic!("{reference} names nothing"))
        }
        None => value,
    }
}

fn every_ref(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                found.push(reference.clone());
            }
            map.values().for_each(|v| every_ref(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| every_ref(v, found)),
        _ => {}
    }
}

#[test]
fn every_reference_names_something() {
    let doc = document();
    let mut references = Vec::new();
    every_ref(&doc, &mut references);
    assert!(!references.is_empty());
    for reference in references {
        let pointer = reference
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{reference}"));
        assert!(doc.pointer(pointer).is_some(), "{reference} names nothing");
    }
}

#[test]
fn every_operation_lists_what_it_may_answer() {
    let doc = document();
    let tags: BTreeSet<&str> = doc["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    let mut operation_ids = BTreeSet::new();
    for ((method, path), operation) in operations(&doc) {
        let at = format!("{method} {path}");
        let id = operation["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{at}: no id"));
        assert!(operation_ids.insert(id.to_string()), "{at}: {id} twice");
        assert!(operation["summary"].is_string(), "{at}: no summary");
        for tag in operation["tags"].as_array().unwrap() {
            assert!(
                tags.contains(tag.as_str().unwrap()),
                "{at}: tag {tag} not listed"
            );
        }
        let responses = operation["responses"].as_object().unwrap();
        let lists = |status: &str| responses.contains_key(status);

        // Path parameters: each one of the path is declared, and no other.
        let in_path: BTreeSet<String> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .map(String::from)
            .collect();
        let declared: BTreeSet<String> = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| resolve(&doc, p))
            .filter(|p| p["in"] == "path")
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(in_path, declared, "{at}: path parameters");
        if !in_path.is_empty() {
            assert_eq!(
                lists("404"),
                !NO_NOT_FOUND.contains(&id),
                "{at}: an unknown id is 404"
            );
        }

        // A JSON body: its schema with an example, and what reading it may answer.
        if let Some(body) = operation.get("requestBody") {
            let content = &body["content"];
            if let Some(json) = content.get("application/json") {
                assert!(json["schema"].is_object(), "{at}: no body schema");
                assert!(json.get("example").is_some(), "{at}: no body example");
                for status in ["400", "413", "415", "422"] {
                    assert!(
                        lists(status),
                        "{at}: reads a JSON body, so may answer {status}"
                    );
                }
            } else {
                // The only other bodies: a blob's bytes, of each accepted type.
                let types: BTreeSet<&str> = content
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(String::as_str)
                    .collect();
                let accepted: BTreeSet<&str> = lapor_domain::attachment::ContentType::ALL
                    .iter()
                    .map(|t| t.as_str())
                    .collect();
                assert_eq!(types, accepted, "{at}");
            }
        }

        // Tokens: a required or optional bearer token may be refused.
        let security = operation.get("security").cloned().unwrap_or(Value::Null);
        match security.as_array() {
            None => {}
            Some(requirements) => {
                let bearer = requirements
                    .iter()
                    .any(|r| r.get(openapi::BEARER).is_some());
                assert!(bearer, "{at}: {security}");
                assert!(
                    requirements.iter().all(|r| r
                        .as_object()
                        .unwrap()
                        .keys()
                        .all(|k| k == openapi::BEARER)),
                    "{at}: {security}"
                );
                assert!(lists("401"), "{at}: takes a token, so may answer 401");
                let optional = requirements
                    .iter()
                    .any(|r| r.as_object().unwrap().is_empty());
                let expected = if optional {
                    "BadToken"
                } else {
                    "TokenRequired"
                };
                assert_eq!(
                    responses["401"]["$ref"],
                    format!("#/components/responses/{expected}"),
                    "{at}"
                );
            }
        }

        assert_eq!(lists("429"), THROTTLED.contains(&id), "{at}: 429");
        assert_eq!(!lists("503"), STORELESS.contains(&id), "{at}: 503");
        assert!(lists("500"), "{at}: 500");
        assert!(
            responses
                .keys()
                .any(|s| s.starts_with('2') || s.starts_with('3')),
            "{at}: no success"
        );

        // Every error is a problem.
        for (status, response) in responses {
            let response = resolve(&doc, response);
            assert!(response["description"].is_string(), "{at} {status}");
            if status.starts_with('4') || status.starts_with('5') {
                let problem = &response["content"]["application/problem+json"];
                assert_eq!(
                    problem["schema"]["$ref"], "#/components/schemas/Problem",
                    "{at} {status}: {response}"
                );
                assert_eq!(
                    response["content"].as_object().unwrap().len(),
                    1,
                    "{at} {status}"
                );
            }
            if ["429"].contains(&status.as_str()) {
                assert!(
                    response["headers"].get("Retry-After").is_some(),
                    "{at} {status}"
                );
            }
        }
    }
    let problem = &doc["components"]["schemas"]["Problem"];
    assert_eq!(
        problem["required"],
        serde_json::json!(["type", "title", "status", "detail"])
    );
    let errors = resolve(&doc, &problem["properties"]["errors"]["items"]);
    assert_eq!(errors["required"], serde_json::json!(["field", "message"]));
}

#[test]
fn the_body_schemas_carry_the_domains_bounds() {
    use lapor_domain::fields::{Password, ReportBody, Title};
    let doc = document();
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["Title"]["minLength"], Title::MIN);
    assert_eq!(schemas["Title"]["maxLength"], Title::MAX);
    assert_eq!(schemas["ReportBody"]["maxLength"], ReportBody::MAX);
    assert_eq!(schemas["Password"]["minLength"], Password::MIN);
    let submission = &schemas["SubmissionBody"];
    assert_eq!(
        submission["properties"]["attachment_ids"]["maxItems"],
        lapor_domain::attachment::MAX_PER_MESSAGE
    );
    assert_eq!(
        schemas["UploadBody"]["properties"]["size"]["maximum"],
        lapor_domain::attachment::MAX_BYTES
    );
    let required: BTreeSet<&str> = submission["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let expected = [
        "classification",
        "title",
        "body",
        "category",
        "incident_date",
        "location",
        "anonymous",
        "confidential",
    ];
    assert_eq!(required, BTreeSet::from(expected));
}

/// The `cargo lambda watch` router of the workspace's Cargo.toml: path to its routes.
fn watch_router() -> toml::Table {
    let manifest: toml::Table =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.toml"))
            .unwrap()
            .parse()
            .unwrap();
    manifest["workspace"]["metadata"]["lambda"]["watch"]["router"]
        .as_table()
        .unwrap()
        .clone()
}

#[test]
fn cargo_lambda_watch_routes_each_route_to_its_function() {
    let router = watch_router();
    let mut paths = BTreeSet::new();
    for group in RouteGroup::ALL {
        let Some(function) = group.function() else {
            continue;
        };
        for (method, path) in routes::served(group) {
            paths.insert(path.clone());
            let routed = match router.get(&path) {
                Some(toml::Value::String(to)) => Some(to.clone()),
                Some(toml::Value::Array(routes)) => routes
                    .iter()
                    .find(|r| r["method"].as_str() == Some(method.as_str()))
                    .and_then(|r| r["function"].as_str())
                    .map(String::from),
                _ => None,
            };
            assert_eq!(routed.as_deref(), Some(function), "{method} {path}");
        }
    }
    // Every other path is the web pages' (lapor-web, the `web` function).
    let (pages, api): (Vec<&String>, Vec<&String>) = router
        .keys()
        .filter(|p| !paths.contains(*p))
        .partition(|p| !p.starts_with("/v1"));
    for page in pages {
        assert_eq!(router[page.as_str()].as_str(), Some("web"), "{page}");
    }
    let extra = api;
    assert!(
        extra.is_empty(),
        "routed by cargo lambda watch, served by no function: {extra:?}"
    );
}
