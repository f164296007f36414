//! Agencies: registering them in the tree, their public profiles, and looking them up for
//! dispositions.

use lapor_domain::agency::Profile;
use lapor_domain::fields::{AgencyName, ProfileText, WorkingDays};
use lapor_domain::{Actor, Agency, AgencyId, AgencyPath, AgencyRef, Zone};

use crate::App;
use crate::error::AppError;

/// A new agency.
#[derive(Clone, Debug)]
pub struct NewAgency {
    /// Its name.
    pub name: AgencyName,
    /// The agency above it.
    pub parent_id: Option<AgencyId>,
    /// Its time zone (default: its parent's, else WIB).
    pub zone: Option<Zone>,
    /// Its response deadline (default: 5 working days).
    pub response_days: Option<WorkingDays>,
    /// Its profile.
    pub profile: Profile,
}

/// Changes to an agency's profile.
#[derive(Clone, Debug, Default)]
pub struct AgencyPatch {
    /// A new name.
    pub name: Option<AgencyName>,
    /// A new description.
    pub description: Option<ProfileText>,
    /// A new address.
    pub address: Option<ProfileText>,
    /// New contact details.
    pub contact: Option<ProfileText>,
    /// A new response deadline.
    pub response_days: Option<WorkingDays>,
}

impl App {
    /// Registers an agency: national admins anywhere, agency admins below their own agency.
    pub async fn create_agency(&self, actor: &Actor, new: NewAgency) -> Result<Agency, AppError> {
        let parent = match &new.parent_id {
            Some(id) => Some(
                self.agencies
                    .agency(id)
                    .await?
                    .ok_or_else(|| AppError::field("parent_id", "no agency has this id"))?,
            ),
            None => None,
        };
        match actor {
            Actor::NationalAdmin(_) => {}
            Actor::AgencyAdmin(_, own) => {
                if !parent.as_ref().is_some_and(|p| p.path.is_within(own.id())) {
                    return Err(AppError::forbidden(
                        "agency admins register agencies below their own",
                    ));
                }
            }
            Actor::Public => return Err(AppError::Unauthenticated),
            _ => return Err(AppError::forbidden("only admins register agencies")),
        }
        let id = AgencyId::from_ulid(self.ids.ulid());
        let agency = Agency {
            path: match &parent {
                Some(p) => p.path.child(id.clone()),
                None => AgencyPath::root(id.clone()),
            },
            id,
            name: new.name,
            zone: new
                .zone
                .or(parent.as_ref().map(|p| p.zone))
                .unwrap_or_default(),
            response_days: new.response_days.unwrap_or(WorkingDays::RESPONSE_DEFAULT),
            profile: new.profile,
            created_at: self.clock.now(),
        };
        self.agencies.create_agency(&agency).await?;
        Ok(agency)
    }

    /// One agency.
    pub async fn agency(&self, id: &AgencyId) -> Result<Agency, AppError> {
        self.agencies
            .agency(id)
            .await?
            .ok_or_else(AppError::not_found)
    }

    /// Agencies by id, a page at a time.
    pub async fn list_agencies(
        &self,
        after: Option<&AgencyId>,
        limit: usize,
    ) -> Result<Vec<Agency>, AppError> {
        Ok(self.agencies.list_agencies(after, limit).await?)
    }

    /// Changes an agency's profile: its own officers and admins, admins above it.
    pub async fn patch_agency(
        &self,
        actor: &Actor,
        id: &AgencyId,
        patch: AgencyPatch,
    ) -> Result<Agency, AppError> {
        let mut agency = self.agency(id).await?;
        let allowed = match actor {
            Actor::NationalAdmin(_) => true,
            Actor::AgencyAdmin(_, own) => agency.path.is_within(own.id()),
            Actor::LiaisonOfficer(_, own) => own.id() == id,
            Actor::Public => return Err(AppError::Unauthenticated),
            _ => false,
        };
        if !allowed {
            return Err(AppError::forbidden(
                "only the agency's own staff and the admins above it may change its profile",
            ));
        }
        if let Some(name) = patch.name {
            agency.name = name;
        }
        let p = &mut agency.profile;
        p.description = patch.description.or(p.description.take());
        p.address = patch.address.or(p.address.take());
        p.contact = patch.contact.or(p.contact.take());
        if let Some(days) = patch.response_days {
            agency.response_days = days;
        }
        self.agencies.update_agency(&agency).await?;
        Ok(agency)
    }

    /// Looks up an agency a command names; an unknown id is an invalid `field`.
    pub async fn agency_ref(&self, id: &AgencyId, field: &str) -> Result<AgencyRef, AppError> {
        self.agencies
            .agency(id)
            .await?
            .map(|a| a.to_ref())
            .ok_or_else(|| AppError::field(field, "no agency has this id"))
    }
}
