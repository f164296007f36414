//! `/v1/agencies`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use lapor_app::agencies::{AgencyPatch, NewAgency};
use lapor_app::index::search_words;
use lapor_domain::agency::Profile;
use lapor_domain::fields::{AgencyName, ProfileText, WorkingDays};
use lapor_domain::rating::RatingTally;
use lapor_domain::{Agency, AgencyId, Zone};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::SignedInCaller;
use crate::cursor;
use crate::input::{Fields, JsonBody, PathSegment, QueryMap};
use crate::openapi::{
    AgencyPath, AgencySearch, BodyErrors, Conflict, Forbidden, ListErrors, NotFound, PageParams,
    ServerErrors, TokenRequired,
};
use crate::problem::Problem;

/// An agency's public profile.
#[derive(Serialize, ToSchema)]
#[schema(as = Agency)]
pub struct AgencyProfile {
    id: AgencyId,
    name: AgencyName,
    /// The agency above it; `null` at the top of the tree.
    #[schema(required = true)]
    parent_id: Option<AgencyId>,
    /// The time zone its working days are counted in.
    timezone: Zone,
    /// The working days it has to answer a disposition.
    response_days: WorkingDays,
    #[schema(required = true)]
    description: Option<ProfileText>,
    #[schema(required = true)]
    address: Option<ProfileText>,
    #[schema(required = true)]
    contact: Option<ProfileText>,
}

impl From<&Agency> for AgencyProfile {
    fn from(a: &Agency) -> Self {
        Self {
            id: a.id.clone(),
            name: a.name.clone(),
            parent_id: a.path.parent().cloned(),
            timezone: a.zone,
            response_days: a.response_days,
            description: a.profile.description.clone(),
            address: a.profile.address.clone(),
            contact: a.profile.contact.clone(),
        }
    }
}

/// One agency's public profile, with its reporters' rating.
#[derive(Serialize, ToSchema)]
#[schema(as = AgencyWithRating)]
pub struct RatedAgency {
    #[serde(flatten)]
    profile: AgencyProfile,
    rating: RatingView,
}

/// Its reporters' rating, over every answer rated (a reporter rates once per closing).
#[derive(Serialize, ToSchema)]
#[schema(as = AgencyRating)]
pub struct RatingView {
    /// How many answers were rated.
    count: u64,
    /// Their mean stars, to two decimals; `null` under five ratings, where it would be one
    /// reporter's stars.
    #[schema(required = true, example = 4.25)]
    average: Option<f64>,
}

impl From<RatingTally> for RatingView {
    fn from(tally: RatingTally) -> Self {
        Self {
            count: tally.count,
            average: tally.average().map(|a| (a * 100.0).round() / 100.0),
        }
    }
}

/// A page of agencies.
#[derive(Serialize, ToSchema)]
pub struct AgencyPage {
    /// By id.
    items: Vec<AgencyProfile>,
    /// The cursor of the next page; `null` on the last.
    #[schema(required = true)]
    next_cursor: Option<String>,
}

/// `POST /v1/agencies`.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct NewAgencyBody {
    name: AgencyName,
    /// The agency it sits below; the top of the tree without it.
    parent_id: Option<AgencyId>,
    /// Its parent's without it, or `Asia/Jakarta` at the top.
    timezone: Option<Zone>,
    /// 5 without it.
    response_days: Option<WorkingDays>,
    /// What the agency does.
    description: Option<ProfileText>,
    /// Where it is.
    address: Option<ProfileText>,
    /// How to reach it.
    contact: Option<ProfileText>,
}

/// `PATCH /v1/agencies/{id}`: the fields to change, the others as they are.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct AgencyPatchBody {
    name: Option<AgencyName>,
    description: Option<ProfileText>,
    address: Option<ProfileText>,
    contact: Option<ProfileText>,
    /// Only the national admins and the admins above the agency set it.
    response_days: Option<WorkingDays>,
}

fn parse_id(raw: &str) -> Result<AgencyId, Problem> {
    AgencyId::parse(raw).map_err(|_| Problem::not_found())
}

/// Register an agency
///
/// National admins anywhere in the tree; agency admins below their own agency.
#[utoipa::path(
    post,
    path = "/v1/agencies",
    operation_id = "createAgency",
    tag = "Agencies",
    request_body(content = NewAgencyBody, example = json!({
        "name": "Dinas Bina Marga", "parent_id": "01JDF5M00000000000000002R1",
        "timezone": "Asia/Jakarta"
    })),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The agency.", body = AgencyProfile),
        (status = 401, response = TokenRequired),
        (status = 403, response = Forbidden),
        BodyErrors,
        ServerErrors,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    body: JsonBody,
) -> Result<(StatusCode, Json<AgencyProfile>), Problem> {
    let mut f = Fields::new(&body.object);
    let name = f.text("name", true, AgencyName::parse);
    let parent_id = f.text("parent_id", false, AgencyId::parse);
    let zone = f.text("timezone", false, Zone::parse);
    let response_days = f.integer("response_days", false, WorkingDays::parse);
    let profile = Profile {
        description: f.text("description", false, ProfileText::parse),
        address: f.text("address", false, ProfileText::parse),
        contact: f.text("contact", false, ProfileText::parse),
    };
    let name = f.finish(name)?;
    let agency = state
        .app
        .create_agency(
            &actor,
            NewAgency {
                name,
                parent_id,
                zone,
                response_days,
                profile,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json((&agency).into())))
}

/// The agencies
///
/// Every agency's public profile, by id; or, with `q`, the agencies whose name holds its
/// words. No token is read.
#[utoipa::path(
    get,
    path = "/v1/agencies",
    operation_id = "listAgencies",
    tag = "Agencies",
    params(AgencySearch, PageParams),
    responses(
        (status = 200, description = "A page of agencies.", body = AgencyPage),
        ListErrors,
        ServerErrors,
    )
)]
pub async fn list(
    State(state): State<AppState>,
    query: QueryMap,
) -> Result<Json<AgencyPage>, Problem> {
    let limit = query.limit()?;
    if let Some(q) = query.get("q") {
        let found = state.app.search_agencies(&search_words(q), limit).await?;
        return Ok(Json(AgencyPage {
            items: found.iter().map(AgencyProfile::from).collect(),
            next_cursor: None,
        }));
    }
    let after: Option<AgencyId> = query
        .get("cursor")
        .map(|c| cursor::decode(&state.tokens, "agencies", c))
        .transpose()?;
    let mut agencies = state.app.list_agencies(after.as_ref(), limit + 1).await?;
    let more = agencies.len() > limit;
    agencies.truncate(limit);
    let next = more
        .then(|| {
            agencies
                .last()
                .map(|a| cursor::encode(&state.tokens, "agencies", &a.id))
        })
        .flatten();
    Ok(Json(AgencyPage {
        items: agencies.iter().map(AgencyProfile::from).collect(),
        next_cursor: next,
    }))
}

/// An agency
///
/// Its public profile, and its reporters' rating over every answer they rated (confidential
/// reports' too; the average only from five ratings). No token is read.
#[utoipa::path(
    get,
    path = "/v1/agencies/{id}",
    operation_id = "getAgency",
    tag = "Agencies",
    params(AgencyPath),
    responses(
        (status = 200, description = "The agency, with its reporters' rating.", body = RatedAgency),
        (status = 404, response = NotFound),
        ServerErrors,
    )
)]
pub async fn get_agency(
    State(state): State<AppState>,
    PathSegment(id): PathSegment,
) -> Result<Json<RatedAgency>, Problem> {
    let id = parse_id(&id)?;
    let (agency, rating) = tokio::try_join!(state.app.agency(&id), state.app.agency_rating(&id))?;
    Ok(Json(RatedAgency {
        profile: (&agency).into(),
        rating: rating.into(),
    }))
}

/// Change an agency's profile
///
/// Its own officers and admins, and the admins above it, change its profile; only those above
/// it (national admins, admins of an agency above) set its `response_days`. Only the fields
/// sent change; the body may be left out.
#[utoipa::path(
    patch,
    path = "/v1/agencies/{id}",
    operation_id = "patchAgency",
    tag = "Agencies",
    params(AgencyPath),
    request_body(content = Option<AgencyPatchBody>, example = json!({
        "description": "Jalan dan jembatan kota.", "contact": "(022) 1234567"
    })),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The agency as changed.", body = AgencyProfile),
        (status = 401, response = TokenRequired),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        BodyErrors,
        ServerErrors,
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    PathSegment(id): PathSegment,
    body: JsonBody,
) -> Result<Json<AgencyProfile>, Problem> {
    let id = parse_id(&id)?;
    let mut f = Fields::new(&body.object);
    let patch = AgencyPatch {
        name: f.text("name", false, AgencyName::parse),
        description: f.text("description", false, ProfileText::parse),
        address: f.text("address", false, ProfileText::parse),
        contact: f.text("contact", false, ProfileText::parse),
        response_days: f.integer("response_days", false, WorkingDays::parse),
    };
    let patch = f.finish(Some(patch))?;
    let agency = state.app.patch_agency(&actor, &id, patch).await?;
    Ok(Json((&agency).into()))
}
