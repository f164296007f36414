//! `/admin/instansi`: the agency tree below the viewer, and a form to add an agency below it;
//! `/admin/instansi/{id}`: an agency's profile (Pengaturan), kept by its own staff (seed 001
//! point 2) and the admins above it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lapor_app::AppError;
use lapor_app::agencies::{AgencyPatch, AgencyRights, NewAgency};
use lapor_domain::agency::Profile;
use lapor_domain::fields::{AgencyName, ProfileText, WorkingDays};
use lapor_domain::{Actor, Agency, AgencyId, Violation, Zone};
use lapor_http::AppState;

use super::Staff;
use crate::form::{self, Posted, Problems, Sent};
use crate::pages::{Failure, Layout, see_other};
use crate::session::CSRF_FIELD;

/// What an agency's name must be.
const AGENCY_NAME: &str = "Tulis nama instansi (paling banyak 200 karakter).";

/// The time zones, as the form names them.
const ZONES: [(Zone, &str); 3] = [
    (Zone::Wib, "WIB (Asia/Jakarta)"),
    (Zone::Wita, "WITA (Asia/Makassar)"),
    (Zone::Wit, "WIT (Asia/Jayapura)"),
];

/// An agency of the tree, with how deep it sits below the viewer's own.
pub struct TreeRow {
    agency: Agency,
    depth: usize,
    /// The agency above it, by name (said in words: the indentation is only a picture).
    parent: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/agencies.html")]
pub struct AgenciesPage {
    layout: Layout,
    rows: Vec<TreeRow>,
    /// The viewer may add agencies (admins).
    may_add: bool,
    /// A national admin may add one at the top of the tree.
    may_add_root: bool,
    zones: [(Zone, &'static str); 3],
    sent: Sent,
    problems: Problems,
}

impl AgenciesPage {
    fn zone_value(&self, zone: &Zone) -> &'static str {
        zone.iana()
    }
}

/// The tree in the order it reads: each agency under its parent, siblings by name.
fn tree(agencies: Vec<Agency>) -> Vec<TreeRow> {
    let top = agencies
        .iter()
        .map(|a| a.path.ids().len())
        .min()
        .unwrap_or(1);
    let name_of = |id: &AgencyId| {
        agencies
            .iter()
            .find(|a| &a.id == id)
            .map(|a| a.name.as_str().to_string())
    };
    // The names along its path sort an agency under its parent (the list is by name).
    let mut keyed: Vec<(Vec<String>, TreeRow)> = agencies
        .iter()
        .map(|agency| {
            let key = agency
                .path
                .ids()
                .iter()
                .map(|id| name_of(id).unwrap_or_default())
                .collect();
            let row = TreeRow {
                depth: agency.path.ids().len() - top,
                parent: agency.path.parent().and_then(name_of),
                agency: agency.clone(),
            };
            (key, row)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, row)| row).collect()
}

async fn page(
    state: &AppState,
    staff: &Staff,
    sent: Sent,
    problems: Problems,
) -> Result<AgenciesPage, Failure> {
    let actor = &staff.visitor.actor;
    let agencies = state.app.agencies_within(actor).await?;
    Ok(AgenciesPage {
        layout: staff.layout(state, "Instansi").await?.failed(&problems),
        rows: tree(agencies),
        may_add: matches!(actor, Actor::NationalAdmin(_) | Actor::AgencyAdmin(..)),
        may_add_root: matches!(actor, Actor::NationalAdmin(_)),
        zones: ZONES,
        sent,
        problems,
    })
}

/// `GET /admin/instansi`.
pub async fn show(State(state): State<AppState>, staff: Staff) -> Result<AgenciesPage, Failure> {
    page(&state, &staff, Sent::default(), Problems::default()).await
}

/// `POST /admin/instansi`: adds an agency.
pub async fn add(
    State(state): State<AppState>,
    staff: Staff,
    Posted { sent, .. }: Posted,
) -> Result<Response, Failure> {
    staff.visitor.check_csrf(sent.get(CSRF_FIELD))?;
    let mut problems = Problems::default();
    let name = form::field(
        &sent,
        &mut problems,
        "nama-instansi",
        true,
        AgencyName::parse,
        AGENCY_NAME,
    );
    let parent_id = form::field(
        &sent,
        &mut problems,
        "induk",
        false,
        AgencyId::parse,
        "Pilih induk dari daftar.",
    );
    let zone = form::field(
        &sent,
        &mut problems,
        "zona",
        false,
        Zone::parse,
        "Pilih zona waktu dari daftar.",
    );
    let again = |problems| async {
        let page = page(&state, &staff, sent.clone(), problems).await?;
        Ok::<_, Failure>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let Some(name) = name.filter(|_| problems.is_empty()) else {
        return again(problems).await;
    };
    let new = NewAgency {
        name,
        parent_id,
        zone,
        response_days: None,
        profile: Profile::default(),
    };
    match state.app.create_agency(&staff.visitor.actor, new).await {
        Ok(agency) => Ok(see_other(&format!("/admin/instansi/{}", agency.id))),
        Err(AppError::Rule(Violation::Forbidden(_) | Violation::Invalid(_))) => {
            let mut problems = Problems::default();
            problems.add("induk", "Pilih induk di bawah instansi Anda.");
            again(problems).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/agency.html")]
pub struct AgencyProfilePage {
    layout: Layout,
    agency: Agency,
    rights: AgencyRights,
    sent: Sent,
    problems: Problems,
    /// Saved, after the redirect.
    saved: bool,
}

impl AgencyProfilePage {
    /// A field's value: what was typed, else what is kept.
    fn value<'a>(&'a self, field: &str, kept: Option<&'a ProfileText>) -> &'a str {
        if self.sent.has(field) {
            self.sent.typed(field)
        } else {
            kept.map_or("", ProfileText::as_str)
        }
    }

    fn name(&self) -> &str {
        if self.sent.has("nama") {
            self.sent.typed("nama")
        } else {
            self.agency.name.as_str()
        }
    }

    fn days(&self) -> String {
        if self.sent.has("batas-waktu") {
            self.sent.typed("batas-waktu").to_string()
        } else {
            self.agency.response_days.get().to_string()
        }
    }
}

/// The agency at `id`, if the staff member may keep its profile; otherwise a 404, as for an
/// agency they cannot reach.
async fn editable(
    state: &AppState,
    staff: &Staff,
    id: &str,
) -> Result<(Agency, AgencyRights), Failure> {
    let id = AgencyId::parse(id).map_err(|_| Failure::NotFound)?;
    let agency = state.app.agency(&id).await?;
    let rights = AgencyRights::of(&staff.visitor.actor, &agency);
    if !rights.profile {
        return Err(Failure::NotFound);
    }
    Ok((agency, rights))
}

async fn profile_page(
    state: &AppState,
    staff: &Staff,
    agency: Agency,
    rights: AgencyRights,
    sent: Sent,
    problems: Problems,
) -> Result<AgencyProfilePage, Failure> {
    let title = format!("Pengaturan {}", agency.name.as_str());
    Ok(AgencyProfilePage {
        layout: staff.layout(state, title).await?.failed(&problems),
        agency,
        rights,
        sent,
        problems,
        saved: false,
    })
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ProfileParams {
    /// Set after a save, to say so.
    tersimpan: Option<String>,
}

/// `GET /admin/instansi/{id}`.
pub async fn profile(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    axum::extract::Query(params): axum::extract::Query<ProfileParams>,
) -> Result<AgencyProfilePage, Failure> {
    let (agency, rights) = editable(&state, &staff, &id).await?;
    let mut page = profile_page(
        &state,
        &staff,
        agency,
        rights,
        Sent::default(),
        Problems::default(),
    )
    .await?;
    page.saved = params.tersimpan.is_some();
    Ok(page)
}

/// A profile text field: blank is no change (a profile line is cleared by an admin through
/// the API), else it must read as profile text.
fn profile_text(sent: &Sent, field: &str, problems: &mut Problems) -> Option<ProfileText> {
    form::field(
        sent,
        problems,
        field,
        false,
        ProfileText::parse,
        "Paling banyak 2.000 karakter.",
    )
}

/// `POST /admin/instansi/{id}`: saves its profile.
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Posted { sent, .. }: Posted,
) -> Result<Response, Failure> {
    staff.visitor.check_csrf(sent.get(CSRF_FIELD))?;
    let (agency, rights) = editable(&state, &staff, &id).await?;
    let mut problems = Problems::default();
    let name = form::field(
        &sent,
        &mut problems,
        "nama",
        true,
        AgencyName::parse,
        AGENCY_NAME,
    );
    let response_days = match (rights.deadline, sent.get("batas-waktu")) {
        (true, Some(raw)) => match raw.parse::<i64>().ok().map(WorkingDays::parse) {
            Some(Ok(days)) => Some(days),
            _ => {
                problems.add("batas-waktu", "Tulis jumlah hari kerja, 1 sampai 60.");
                None
            }
        },
        _ => None,
    };
    let patch = AgencyPatch {
        name,
        description: profile_text(&sent, "deskripsi", &mut problems),
        address: profile_text(&sent, "alamat", &mut problems),
        contact: profile_text(&sent, "kontak", &mut problems),
        response_days,
    };
    if !problems.is_empty() {
        let page = profile_page(&state, &staff, agency, rights, sent, problems).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    state
        .app
        .patch_agency(&staff.visitor.actor, &agency.id, patch)
        .await?;
    Ok(see_other(&format!(
        "/admin/instansi/{}?tersimpan=1",
        agency.id
    )))
}
