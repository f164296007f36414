//! `/v1/regions`: Indonesia's official regions (Kemendagri codes), one level at a time, for
//! forms that offer them and clients that send `location.codes`.

use axum::Json;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use lapor_regions::Region;
use serde::Serialize;
use utoipa::ToSchema;

use crate::input::PathSegment;
use crate::openapi::{NotFound, RegionPath, ServerErrors};
use crate::problem::Problem;

/// A region.
#[derive(Serialize, ToSchema)]
pub struct RegionItem {
    /// Its code, such as `32.73`.
    code: &'static str,
    /// Its official name, such as `Kota Bandung`.
    name: &'static str,
}

impl From<&Region> for RegionItem {
    fn from(r: &Region) -> Self {
        Self {
            code: r.code,
            name: r.name,
        }
    }
}

/// A region with those directly within it.
#[derive(Serialize, ToSchema)]
pub struct RegionChildren {
    /// The region; `null` for the whole country.
    #[schema(required = true)]
    region: Option<RegionItem>,
    /// The level of `items`: `province`, `regency`, `district` or `village`; `null` within a
    /// village.
    #[schema(required = true)]
    level: Option<&'static str>,
    /// The regions within it, by code.
    items: Vec<RegionItem>,
}

/// The data changes with a release only: clients and caches keep it for a day.
fn cached(body: RegionChildren) -> Response {
    (
        [(header::CACHE_CONTROL, "public, max-age=86400")],
        Json(body),
    )
        .into_response()
}

/// The provinces
///
/// Indonesia's provinces with their codes. No token is read.
#[utoipa::path(
    get,
    path = "/v1/regions",
    operation_id = "listProvinces",
    tag = "Regions",
    responses(
        (status = 200, description = "The provinces.", body = RegionChildren),
        ServerErrors,
    )
)]
pub async fn provinces() -> Response {
    cached(RegionChildren {
        region: None,
        level: Some(lapor_regions::Level::Province.as_str()),
        items: lapor_regions::provinces()
            .iter()
            .map(RegionItem::from)
            .collect(),
    })
}

/// A region and those within it
///
/// A province's regencies and cities, a regency's districts, a district's villages. No token is
/// read.
#[utoipa::path(
    get,
    path = "/v1/regions/{code}",
    operation_id = "getRegion",
    tag = "Regions",
    params(RegionPath),
    responses(
        (status = 200, description = "The region and those within it.", body = RegionChildren),
        (status = 404, response = NotFound),
        ServerErrors,
    )
)]
pub async fn region(PathSegment(code): PathSegment) -> Result<Response, Problem> {
    let region = lapor_regions::find(&code).ok_or_else(Problem::not_found)?;
    Ok(cached(RegionChildren {
        level: region.level().below().map(lapor_regions::Level::as_str),
        items: lapor_regions::children(region.code)
            .iter()
            .map(RegionItem::from)
            .collect(),
        region: Some((&region).into()),
    }))
}
