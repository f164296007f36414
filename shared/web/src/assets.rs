//! The pages' assets, embedded in the binary and served under a name that carries a hash of
//! their content, so that browsers may keep each for a year: a changed file is a new name.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// One embedded file.
struct Asset {
    /// The name pages refer to it by, such as `lapor.css`.
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const FILES: [Asset; 3] = [
    Asset {
        name: "lapor.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../assets/lapor.css"),
    },
    Asset {
        name: "lapor.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/lapor.js"),
    },
    Asset {
        name: "ikon.svg",
        content_type: "image/svg+xml",
        bytes: include_bytes!("../assets/ikon.svg"),
    },
];

/// Each file's served name (`lapor.3f9a1c0e2b7d.css`), in the order of [`FILES`].
static SERVED: LazyLock<Vec<String>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|asset| {
            let hash = lapor_app::secrets::hex(&Sha256::digest(asset.bytes)[..6]);
            match asset.name.rsplit_once('.') {
                Some((stem, extension)) => format!("{stem}.{hash}.{extension}"),
                None => format!("{}.{hash}", asset.name),
            }
        })
        .collect()
});

/// The URL of an asset by its plain name; a name no asset has is a bug, caught by the tests.
pub fn url(name: &str) -> String {
    let served = FILES
        .iter()
        .position(|asset| asset.name == name)
        .map_or(name, |i| SERVED[i].as_str());
    format!("/aset/{served}")
}

/// `GET /aset/{name}`: an asset by its served name, cached for a year.
pub async fn serve(Path(name): Path<String>) -> Response {
    let Some(i) = SERVED.iter().position(|served| *served == name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let asset = &FILES[i];
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        asset.bytes,
    )
        .into_response()
}

/// `GET /manifest.webmanifest`: what a phone needs to install the site as an app.
pub async fn manifest() -> Response {
    let manifest = serde_json::json!({
        "name": "LAPOR! – Layanan Aspirasi dan Pengaduan Online Rakyat",
        "short_name": "LAPOR!",
        "lang": "id",
        "start_url": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b3261e",
        "icons": [{"src": url("ikon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    });
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/manifest+json"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        manifest.to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_is_served_under_a_name_with_its_hash() {
        for asset in &FILES {
            let url = url(asset.name);
            let (stem, extension) = asset.name.rsplit_once('.').unwrap();
            let hashed = url.strip_prefix("/aset/").unwrap();
            assert!(
                hashed.starts_with(stem) && hashed.ends_with(extension),
                "{url}"
            );
            assert_eq!(hashed.len(), asset.name.len() + 13, "{url}");
        }
    }
}
