//! Who is acting: the public, a citizen, the holder of a report's access code, a national admin,
//! an agency's staff, or the system's own jobs.

use serde::{Deserialize, Serialize};

use crate::agency::AgencyPath;
use crate::ids::{AgencyId, ReportId, UserId};

/// The roles of the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A citizen with an account.
    Citizen,
    /// KemenPANRB's admins: verify and dispose every new report.
    NationalAdmin,
    /// An agency's admin (Admin Instansi / Koordinator).
    AgencyAdmin,
    /// A unit's liaison officer (Pejabat Penghubung).
    LiaisonOfficer,
}

impl Role {
    /// Parses the API's role names.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "citizen" => Ok(Self::Citizen),
            "national_admin" => Ok(Self::NationalAdmin),
            "agency_admin" => Ok(Self::AgencyAdmin),
            "liaison_officer" => Ok(Self::LiaisonOfficer),
            _ => Err(
                "must be one of citizen, national_admin, agency_admin, liaison_officer".to_string(),
            ),
        }
    }

    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Citizen => "citizen",
            Self::NationalAdmin => "national_admin",
            Self::AgencyAdmin => "agency_admin",
            Self::LiaisonOfficer => "liaison_officer",
        }
    }

    /// True for roles that belong to an agency.
    pub fn needs_agency(self) -> bool {
        matches!(self, Self::AgencyAdmin | Self::LiaisonOfficer)
    }
}

/// A signed-in person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The account's id.
    pub id: UserId,
    /// The account's name.
    pub name: String,
}

/// Who is acting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// Nobody signed in.
    Public,
    /// A citizen with an account.
    Citizen(Person),
    /// Whoever holds the access code of one report, acting as its reporter.
    ReportHolder(ReportId),
    NationalAdmin(Person),
    AgencyAdmin(Person, AgencyPath),
    /// A unit's liaison officer.
    LiaisonOfficer(Person, AgencyPath),
    /// A scheduled job.
    System,
}

impl Actor {
    /// The signed-in person in `role`, with the agency place staff of an agency need; `None`
    /// for such a role without one. How a token or a session becomes an actor.
    pub fn signed_in(person: Person, role: Role, path: Option<AgencyPath>) -> Option<Self> {
        match (role, path) {
            (Role::Citizen, _) => Some(Self::Citizen(person)),
            (Role::NationalAdmin, _) => Some(Self::NationalAdmin(person)),
            (Role::AgencyAdmin, Some(path)) => Some(Self::AgencyAdmin(person, path)),
            (Role::LiaisonOfficer, Some(path)) => Some(Self::LiaisonOfficer(person, path)),
            _ => None,
        }
    }

    /// The signed-in person, if any.
    pub fn person(&self) -> Option<&Person> {
        match self {
            Self::Citizen(p)
            | Self::NationalAdmin(p)
            | Self::AgencyAdmin(p, _)
            | Self::LiaisonOfficer(p, _) => Some(p),
            Self::Public | Self::ReportHolder(_) | Self::System => None,
        }
    }

    /// The agency of an agency admin or liaison officer.
    pub fn agency(&self) -> Option<&AgencyPath> {
        match self {
            Self::AgencyAdmin(_, path) | Self::LiaisonOfficer(_, path) => Some(path),
            _ => None,
        }
    }

    /// The id of the actor's agency.
    pub fn agency_id(&self) -> Option<&AgencyId> {
        self.agency().map(AgencyPath::id)
    }

    /// True for national admins and agency staff: the people who work reports.
    pub fn is_staff(&self) -> bool {
        matches!(
            self,
            Self::NationalAdmin(_) | Self::AgencyAdmin(..) | Self::LiaisonOfficer(..)
        )
    }

    /// The role as the API names it (`None` for the public and the system).
    pub fn role(&self) -> Option<Role> {
        match self {
            Self::Citizen(_) | Self::ReportHolder(_) => Some(Role::Citizen),
            Self::NationalAdmin(_) => Some(Role::NationalAdmin),
            Self::AgencyAdmin(..) => Some(Role::AgencyAdmin),
            Self::LiaisonOfficer(..) => Some(Role::LiaisonOfficer),
            Self::Public | Self::System => None,
        }
    }
}
