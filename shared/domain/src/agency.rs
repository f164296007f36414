//! Agencies form a tree: instansi (K/L/D) at the top, their units (OPD) below, any depth deep.
//! The national level (KemenPANRB's admins) stands above every agency and is not an agency.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::calendar::Zone;
use crate::fields::{AgencyName, Message, ProfileText, TemplateName, WorkingDays};
use crate::ids::AgencyId;

/// An agency's place in the tree: its ancestors from the top down, ending with itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<AgencyId>", into = "Vec<AgencyId>")]
pub struct AgencyPath(Vec<AgencyId>);

serde_by_parse!(AgencyPath, Vec<AgencyId>, |ids| {
    Self::from_ids(ids).ok_or_else(|| "an agency path is never empty".to_string())
});

impl AgencyPath {
    /// The path of a top-level agency.
    pub fn root(id: AgencyId) -> Self {
        Self(vec![id])
    }

    /// The path of a child of the agency this path ends at.
    pub fn child(&self, id: AgencyId) -> Self {
        let mut ids = self.0.clone();
        ids.push(id);
        Self(ids)
    }

    /// Rebuilds a path from stored ids; `None` when empty.
    pub fn from_ids(ids: Vec<AgencyId>) -> Option<Self> {
        (!ids.is_empty()).then_some(Self(ids))
    }

    /// The agency itself.
    pub fn id(&self) -> &AgencyId {
        // A path is never empty: every constructor puts the agency itself last.
        &self.0[self.0.len() - 1]
    }

    /// Its parent, if it has one.
    pub fn parent(&self) -> Option<&AgencyId> {
        self.0.len().checked_sub(2).map(|i| &self.0[i])
    }

    /// The ids from the top down.
    pub fn ids(&self) -> &[AgencyId] {
        &self.0
    }

    /// True when `other` is this agency or one of its ancestors.
    pub fn is_within(&self, other: &AgencyId) -> bool {
        self.0.contains(other)
    }

    /// True when `other` is one of this agency's ancestors (not itself).
    pub fn is_strictly_below(&self, other: &AgencyId) -> bool {
        self.is_within(other) && self.id() != other
    }
}

/// An agency's profile as anyone may read it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// What the agency does.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<ProfileText>,
    /// Where it is.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub address: Option<ProfileText>,
    /// How to reach it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub contact: Option<ProfileText>,
}

/// A follow-up text an agency's staff use again and again, offered on the follow-up form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandardReply {
    /// Its number within the agency, kept when others are removed.
    pub number: u32,
    pub name: TemplateName,
    /// The follow-up it writes.
    pub body: Message,
}

/// How many standard replies an agency keeps: a few, picked from a select.
pub const MAX_STANDARD_REPLIES: usize = 20;

/// An agency (instansi or unit).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub id: AgencyId,
    pub name: AgencyName,
    /// Where it sits in the tree.
    pub path: AgencyPath,
    /// Its time zone, in which its working days are counted.
    pub zone: Zone,
    /// How many working days it has to answer a disposition.
    pub response_days: WorkingDays,
    /// Its public profile.
    #[serde(default)]
    pub profile: Profile,
    /// Its standard replies (Templat jawaban): for its own staff, never in its public profile.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replies: Vec<StandardReply>,
    /// When it was registered.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Counts its changes; a change is stored only over the version it was made from.
    #[serde(default = "first_version")]
    pub version: u64,
}

fn first_version() -> u64 {
    1
}

impl Agency {
    /// What a report keeps of the agency it is assigned, copied or targeted to.
    pub fn to_ref(&self) -> AgencyRef {
        AgencyRef {
            id: self.id.clone(),
            name: self.name.as_str().to_string(),
            path: self.path.clone(),
            zone: self.zone,
            response_days: self.response_days,
        }
    }
}

/// What a report keeps of an agency: enough to check the tree and count its deadlines without
/// loading it again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyRef {
    pub id: AgencyId,
    /// Its name when the report reached it.
    pub name: String,
    /// Where it sits in the tree.
    pub path: AgencyPath,
    /// Its time zone.
    pub zone: Zone,
    /// Its response deadline.
    pub response_days: WorkingDays,
}
