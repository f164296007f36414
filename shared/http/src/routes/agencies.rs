//! `/v1/agencies`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use lapor_app::agencies::{AgencyPatch, NewAgency};
use lapor_domain::agency::Profile;
use lapor_domain::fields::{AgencyName, ProfileText, WorkingDays};
use lapor_domain::{Agency, AgencyId, Zone};
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::SignedInCaller;
use crate::cursor;
use crate::input::{Fields, JsonBody, PathSegment, QueryMap};
use crate::problem::Problem;

/// An agency's public profile.
fn agency_json(a: &Agency) -> Value {
    json!({
        "id": a.id,
        "name": a.name,
        "parent_id": a.path.parent(),
        "timezone": a.zone,
        "response_days": a.response_days,
        "description": a.profile.description,
        "address": a.profile.address,
        "contact": a.profile.contact,
    })
}

fn parse_id(raw: &str) -> Result<AgencyId, Problem> {
    AgencyId::parse(raw).map_err(|_| Problem::not_found())
}

/// `POST /v1/agencies`.
pub async fn create(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    body: JsonBody,
) -> Result<(StatusCode, Json<Value>), Problem> {
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
    Ok((StatusCode::CREATED, Json(agency_json(&agency))))
}

/// `GET /v1/agencies`.
pub async fn list(State(state): State<AppState>, query: QueryMap) -> Result<Json<Value>, Problem> {
    let limit = query.limit()?;
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
    Ok(Json(json!({
        "items": agencies.iter().map(agency_json).collect::<Vec<_>>(),
        "next_cursor": next,
    })))
}

/// `GET /v1/agencies/{id}`.
pub async fn get_agency(
    State(state): State<AppState>,
    PathSegment(id): PathSegment,
) -> Result<Json<Value>, Problem> {
    let agency = state.app.agency(&parse_id(&id)?).await?;
    Ok(Json(agency_json(&agency)))
}

/// `PATCH /v1/agencies/{id}`.
pub async fn patch(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    PathSegment(id): PathSegment,
    body: JsonBody,
) -> Result<Json<Value>, Problem> {
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
    Ok(Json(agency_json(&agency)))
}
