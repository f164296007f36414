//! The web pages of lapor (UI.md), in Bahasa Indonesia: server-rendered HTML from the same use
//! cases and visibility rules as the JSON API, plain forms (POST, then a redirect to a GET),
//! and a little JavaScript only for what it improves. Served by `lapor-local` beside `/v1` and
//! on AWS by the `web` function.

mod assets;
mod form;
mod headers;
mod pages;
mod session;
mod text;

use axum::Router;
use axum::extract::Request;
use axum::routing::{get, post};
use lapor_http::AppState;
use lapor_http::routes::HEALTH;

/// The router of every page and asset.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::home::show))
        .route(
            "/laporan",
            post(pages::home::submit)
                .layer(with_files())
                .get(pages::feed::show),
        )
        .route(
            "/laporan/terkirim/{tracking_id}",
            get(pages::home::submitted),
        )
        .route("/pengaduan/{tracking_id}", get(pages::report::show))
        .route(
            "/pengaduan/{tracking_id}/balasan",
            post(pages::report::reply).layer(with_files()),
        )
        .route(
            "/pengaduan/{tracking_id}/lengkapi",
            post(pages::complete::send)
                .layer(with_files())
                .get(pages::complete::show),
        )
        .route("/lampiran/unggah", post(pages::files::upload))
        .route("/instansi/{id}", get(pages::agency::show))
        .route(
            "/pengaduan/{tracking_id}/penilaian",
            post(pages::report::rate),
        )
        .route("/lampiran/{id}", get(pages::report::attachment))
        .route("/lacak", get(pages::track::show).post(pages::track::open))
        .route(
            "/masuk",
            get(pages::account::sign_in_form).post(pages::account::sign_in),
        )
        .route("/keluar", post(pages::account::sign_out))
        .route(
            "/daftar",
            get(pages::register::show).post(pages::register::register),
        )
        .route(
            "/konfirmasi",
            get(pages::codes::confirm_form).post(pages::codes::confirm),
        )
        .route(
            "/lupa-kata-sandi",
            get(pages::codes::reset_form).post(pages::codes::reset),
        )
        .route("/saya", get(pages::mine::show))
        .route("/admin/laporan", get(pages::console::worklist::show))
        .route(
            "/admin/instansi",
            get(pages::console::agencies::show).post(pages::console::agencies::add),
        )
        .route(
            "/admin/instansi/{id}",
            get(pages::console::agencies::profile).post(pages::console::agencies::save),
        )
        .route(
            "/admin/pengguna",
            get(pages::console::accounts::show).post(pages::console::accounts::add),
        )
        .route(
            "/admin/pengguna/{id}",
            get(pages::console::accounts::account).post(pages::console::accounts::save),
        )
        .route(
            "/admin/pengguna/{id}/{aksi}",
            post(pages::console::accounts::set_active),
        )
        .route(
            "/admin/profil",
            get(pages::console::profile::show).post(pages::console::profile::save),
        )
        .route(
            "/admin/templat",
            get(pages::console::replies::show).post(pages::console::replies::add),
        )
        .route(
            "/admin/templat/{number}/hapus",
            post(pages::console::replies::remove),
        )
        .route(
            "/admin/notifikasi",
            get(pages::console::notifications::show),
        )
        .route(
            "/admin/laporan/{tracking_id}",
            get(pages::console::report::show),
        )
        .route(
            "/admin/laporan/{tracking_id}/{aksi}",
            post(pages::console::actions::act).layer(with_files()),
        )
        .route("/aset/{name}", get(assets::serve))
        .route("/manifest.webmanifest", get(assets::manifest))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::ensure_nonce,
        ))
        .layer(axum::middleware::map_response_with_state(
            headers::content_security_policy(state.app.blobs.upload_origin().as_deref()),
            headers::secure,
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

/// The body limit of a form that may carry files (axum's default is 2 MB).
fn with_files() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(pages::files::FORM_LIMIT)
}

/// `router` for the pages, beside `api` for `/v1`: what `lapor-local` serves. A path under
/// `/v1` and the health check are the API's (its unknown paths answer problem+json), any other
/// the pages'.
pub fn with_api(state: AppState, api: Router) -> Router {
    use tower::ServiceExt as _;
    let pages = router(state);
    Router::new().fallback_service(tower::service_fn(move |request: Request| {
        let path = request.uri().path();
        let target = if path == "/v1" || path.starts_with("/v1/") || path == HEALTH {
            api.clone()
        } else {
            pages.clone()
        };
        target.oneshot(request)
    }))
}
