//! Agencies: registering them in the tree, their public profiles, and looking them up for
//! dispositions.

use lapor_domain::agency::{MAX_STANDARD_REPLIES, Profile, StandardReply};
use lapor_domain::fields::{AgencyName, Message, ProfileText, TemplateName, WorkingDays};
use lapor_domain::rating::RatingTally;
use lapor_domain::{Actor, Agency, AgencyId, AgencyPath, AgencyRef, Zone};

use crate::App;
use crate::error::AppError;
use crate::ports::{ConflictKind, StoreError};

#[derive(Clone, Debug)]
pub struct NewAgency {
    pub name: AgencyName,
    /// The agency above it.
    pub parent_id: Option<AgencyId>,
    /// Its time zone (default: its parent's, else WIB).
    pub zone: Option<Zone>,
    /// Its response deadline (default: 5 working days).
    pub response_days: Option<WorkingDays>,
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

/// How often a patch is applied over a fresh record before giving up. Each lost try means
/// another change succeeded, so up to this many concurrent patches all land.
const PATCH_ATTEMPTS: usize = 8;

impl AgencyPatch {
    /// Writes the named fields over the agency and counts the change.
    fn apply_to(&self, agency: &mut Agency) {
        if let Some(name) = &self.name {
            agency.name = name.clone();
        }
        let p = &mut agency.profile;
        let keep = |new: &Option<ProfileText>, old: &mut Option<ProfileText>| {
            if let Some(new) = new {
                *old = Some(new.clone());
            }
        };
        keep(&self.description, &mut p.description);
        keep(&self.address, &mut p.address);
        keep(&self.contact, &mut p.contact);
        if let Some(days) = self.response_days {
            agency.response_days = days;
        }
        agency.version += 1;
    }
}

/// The agency's own staff and the admins above it change its profile; only those who oversee
/// it (national admins, admins above) set its response deadline, never the agency itself.
/// The agency whose standard replies a staff member keeps: their own (officers and admins
/// alike, as they answer its reports).
fn own_agency(actor: &Actor) -> Result<&AgencyId, AppError> {
    match actor {
        Actor::AgencyAdmin(_, own) | Actor::LiaisonOfficer(_, own) => Ok(own.id()),
        Actor::Public => Err(AppError::Unauthenticated),
        _ => Err(AppError::forbidden(
            "standard replies belong to an agency's staff",
        )),
    }
}

/// What an actor may change of an agency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AgencyRights {
    /// Its profile: its own officers and admins, and the admins above it.
    pub profile: bool,
    /// Its response deadline: the national admins and the admins above it.
    pub deadline: bool,
}

impl AgencyRights {
    pub fn of(actor: &Actor, agency: &Agency) -> Self {
        let (profile, deadline) = match actor {
            Actor::NationalAdmin(_) => (true, true),
            Actor::AgencyAdmin(_, own) => (
                agency.path.is_within(own.id()),
                agency.path.is_strictly_below(own.id()),
            ),
            Actor::LiaisonOfficer(_, own) => (*own.id() == agency.id, false),
            _ => (false, false),
        };
        Self { profile, deadline }
    }
}

fn may_patch(actor: &Actor, agency: &Agency, patch: &AgencyPatch) -> Result<(), AppError> {
    if matches!(actor, Actor::Public) {
        return Err(AppError::Unauthenticated);
    }
    let AgencyRights { profile, deadline } = AgencyRights::of(actor, agency);
    if !profile {
        return Err(AppError::forbidden(
            "only the agency's own staff and the admins above it may change its profile",
        ));
    }
    if patch.response_days.is_some() && !deadline {
        return Err(AppError::forbidden(
            "only the national admins and the admins above an agency set its response deadline",
        ));
    }
    Ok(())
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
            replies: Vec::new(),
            created_at: self.clock.now(),
            version: 1,
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

    /// An agency's rating by its reporters, over every answer rated (confidential reports'
    /// too: `lapor_domain::rating` says why its average needs a few).
    pub async fn agency_rating(&self, id: &AgencyId) -> Result<RatingTally, AppError> {
        Ok(self.agencies.rating(id).await?)
    }

    /// Agencies by id, a page at a time.
    pub async fn list_agencies(
        &self,
        after: Option<&AgencyId>,
        limit: usize,
    ) -> Result<Vec<Agency>, AppError> {
        Ok(self.agencies.list_agencies(after, limit).await?)
    }

    /// The agencies whose name holds every one of `words` (lower case, as
    /// [`crate::index::search_words`] gives them), by name, at most `limit`: how a reporter
    /// finds the agency to address, never from a list of every agency in the country. It reads
    /// every agency (about 700 in the country, a few pages): an index of names is for when
    /// search comes to the stores.
    pub async fn search_agencies(
        &self,
        words: &[String],
        limit: usize,
    ) -> Result<Vec<Agency>, AppError> {
        if words.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let mut found = self
            .agencies_where(|a| {
                let name = a.name.as_str().to_lowercase();
                words.iter().all(|w| name.contains(w.as_str()))
            })
            .await?;
        found.truncate(limit);
        Ok(found)
    }

    /// The agencies a staff member works within, by name: a national admin's, the whole tree;
    /// anyone else's, their own agency and those below it.
    pub async fn agencies_within(&self, actor: &Actor) -> Result<Vec<Agency>, AppError> {
        match actor {
            Actor::NationalAdmin(_) => self.agencies_where(|_| true).await,
            _ => match actor.agency_id() {
                Some(own) => self.agencies_where(|a| a.path.is_within(own)).await,
                None => Err(AppError::forbidden("only staff work within agencies")),
            },
        }
    }

    /// Every agency that `keep` keeps, by name. The whole tree is read (some 680 agencies in
    /// the country: a few pages).
    pub(crate) async fn agencies_where(
        &self,
        keep: impl Fn(&Agency) -> bool,
    ) -> Result<Vec<Agency>, AppError> {
        /// Agencies read per page.
        const PAGE: usize = 500;
        let mut found = Vec::new();
        let mut after: Option<AgencyId> = None;
        loop {
            // A store may answer fewer than asked before the end (DynamoDB's 1 MB pages): the
            // end is an empty page.
            let page = self.agencies.list_agencies(after.as_ref(), PAGE).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id.clone());
            found.extend(page.into_iter().filter(&keep));
        }
        found.sort_by(|a, b| a.name.as_str().cmp(b.name.as_str()));
        Ok(found)
    }

    /// Changes an agency's profile: its own officers and admins, admins above it; its response
    /// deadline: admins above it only. A patch names only the fields it changes, so when another
    /// change lands first it is applied again over the fresh record: nothing is lost.
    pub async fn patch_agency(
        &self,
        actor: &Actor,
        id: &AgencyId,
        patch: AgencyPatch,
    ) -> Result<Agency, AppError> {
        for _ in 0..PATCH_ATTEMPTS {
            let mut agency = self.agency(id).await?;
            may_patch(actor, &agency, &patch)?;
            patch.apply_to(&mut agency);
            match self.agencies.update_agency(&agency).await {
                Err(StoreError::Conflict(ConflictKind::Version)) => continue,
                result => return result.map(|()| agency).map_err(AppError::from),
            }
        }
        Err(AppError::conflict(
            "the agency is being changed by others; try again",
        ))
    }

    /// The standard replies of the staff member's own agency (none for the national admins,
    /// who answer no report).
    pub async fn standard_replies(&self, actor: &Actor) -> Result<Vec<StandardReply>, AppError> {
        match own_agency(actor) {
            Ok(id) => Ok(self.agency(id).await?.replies),
            Err(_) => Ok(Vec::new()),
        }
    }

    /// Adds a standard reply to the staff member's own agency.
    pub async fn add_standard_reply(
        &self,
        actor: &Actor,
        name: TemplateName,
        body: Message,
    ) -> Result<Vec<StandardReply>, AppError> {
        self.change_replies(actor, |replies| {
            if replies.len() >= MAX_STANDARD_REPLIES {
                return Err(AppError::field(
                    "name",
                    format!("an agency keeps at most {MAX_STANDARD_REPLIES} standard replies"),
                ));
            }
            let number = replies.iter().map(|r| r.number).max().unwrap_or(0) + 1;
            replies.push(StandardReply {
                number,
                name: name.clone(),
                body: body.clone(),
            });
            Ok(())
        })
        .await
    }

    /// Removes a standard reply of the staff member's own agency; one already gone is no error.
    pub async fn remove_standard_reply(
        &self,
        actor: &Actor,
        number: u32,
    ) -> Result<Vec<StandardReply>, AppError> {
        self.change_replies(actor, |replies| {
            replies.retain(|r| r.number != number);
            Ok(())
        })
        .await
    }

    /// Changes the own agency's standard replies over its latest record, again when another
    /// change landed first.
    async fn change_replies(
        &self,
        actor: &Actor,
        change: impl Fn(&mut Vec<StandardReply>) -> Result<(), AppError>,
    ) -> Result<Vec<StandardReply>, AppError> {
        let id = own_agency(actor)?;
        for _ in 0..PATCH_ATTEMPTS {
            let mut agency = self.agency(id).await?;
            change(&mut agency.replies)?;
            agency.version += 1;
            match self.agencies.update_agency(&agency).await {
                Err(StoreError::Conflict(ConflictKind::Version)) => continue,
                result => return result.map(|()| agency.replies).map_err(AppError::from),
            }
        }
        Err(AppError::conflict(
            "the agency is being changed by others; try again",
        ))
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
