//! The world the domain's tests play in: a small agency tree, one actor of each kind, and a
//! report's life moved by real decisions.
// Each test file uses a part of it.
#![allow(dead_code)]

use lapor_domain::actions::{Command, Context, NewReport, Verification, submit};
use lapor_domain::agency::{Agency, Profile};
use lapor_domain::draft::Draft;
use lapor_domain::fields::*;
use lapor_domain::report::{Channel, Submission};
use lapor_domain::*;
use time::OffsetDateTime;
use time::macros::{date, datetime};
use ulid::Ulid;

/// A small agency tree: A with units A1 and A2, B with unit B1.
pub struct World {
    pub a: Agency,
    pub a1: Agency,
    pub a2: Agency,
    pub b: Agency,
    pub b1: Agency,
    pub actors: Vec<Actor>,
    pub calendar: Calendar,
}

pub fn id(n: u128) -> Ulid {
    Ulid::from(n)
}

pub fn agency(n: u128, name: &str, parent: Option<&Agency>) -> Agency {
    let id = AgencyId::from_ulid(id(n));
    Agency {
        path: match parent {
            Some(p) => p.path.child(id.clone()),
            None => AgencyPath::root(id.clone()),
        },
        id,
        name: AgencyName::parse(name).unwrap(),
        zone: Zone::Wib,
        response_days: WorkingDays::RESPONSE_DEFAULT,
        version: 1,
        profile: Profile::default(),
        replies: Vec::new(),
        created_at: datetime!(2025-01-01 0:00 UTC),
    }
}

pub fn person(n: u128, name: &str) -> Person {
    Person {
        id: UserId::from_ulid(id(n)),
        name: name.to_string(),
    }
}

pub const REPORTER: usize = 0;
pub const NATIONAL: usize = 1;
pub const ADMIN_A: usize = 2;
pub const LIAISON_A1: usize = 3;
pub const LIAISON_A2: usize = 4;
pub const ADMIN_A1: usize = 5;
pub const ADMIN_B: usize = 6;
pub const LIAISON_B1: usize = 7;
pub const OTHER_CITIZEN: usize = 8;
pub const PUBLIC: usize = 9;
pub const SYSTEM: usize = 10;

pub fn world() -> World {
    let a = agency(100, "Pemerintah Provinsi A", None);
    let a1 = agency(101, "Dinas Satu A", Some(&a));
    let a2 = agency(102, "Dinas Dua A", Some(&a));
    let b = agency(200, "Kementerian B", None);
    let b1 = agency(201, "Direktorat B1", Some(&b));
    let actors = vec![
        Actor::Citizen(person(1, "Siti")),
        Actor::NationalAdmin(person(2, "Admin Nasional")),
        Actor::AgencyAdmin(person(3, "Admin A"), a.path.clone()),
        Actor::LiaisonOfficer(person(4, "Petugas A1"), a1.path.clone()),
        Actor::LiaisonOfficer(person(5, "Petugas A2"), a2.path.clone()),
        Actor::AgencyAdmin(person(6, "Admin A1"), a1.path.clone()),
        Actor::AgencyAdmin(person(7, "Admin B"), b.path.clone()),
        Actor::LiaisonOfficer(person(8, "Petugas B1"), b1.path.clone()),
        Actor::Citizen(person(9, "Budi")),
        Actor::Public,
        Actor::System,
    ];
    World {
        a,
        a1,
        a2,
        b,
        b1,
        actors,
        calendar: Calendar::indonesia(),
    }
}

impl World {
    pub fn agencies(&self) -> [&Agency; 5] {
        [&self.a, &self.a1, &self.a2, &self.b, &self.b1]
    }
}

pub fn submission(target: Option<AgencyRef>, anonymous: bool, confidential: bool) -> Submission {
    Submission {
        classification: Classification::Complaint,
        title: Title::parse("Jalan berlubang").unwrap(),
        body: ReportBody::parse("Jalan di depan pasar berlubang besar sejak sebulan.").unwrap(),
        category: Category::parse("infrastruktur").unwrap(),
        incident_date: IncidentDate::parse("2025-01-02", date!(2025 - 01 - 10)).unwrap(),
        location: Location {
            province: PlaceName::parse("Jawa Barat").unwrap(),
            regency: PlaceName::parse("Kota Bandung").unwrap(),
            district: None,
            village: None,
            address: None,
            lat: None,
            lon: None,
            codes: None,
        },
        target,
        anonymous,
        confidential,
        contact: Contact::default(),
        attachments: Vec::new(),
    }
}

/// A report's life in a test: the state and its timeline, moved by `act`.
pub struct Life {
    pub report: Report,
    pub entries: Vec<Entry>,
    /// The timeline by change: what each write recorded.
    pub changes: Vec<Vec<Entry>>,
    pub initial: Report,
    pub now: OffsetDateTime,
    pub next_id: u128,
}

impl Life {
    pub fn new(w: &World, target: Option<&Agency>, anonymous: bool, confidential: bool) -> Self {
        let now = datetime!(2025-01-13 09:00 +7);
        let ctx = Context {
            now,
            calendar: &w.calendar,
        };
        let (report, first) = submit(
            NewReport {
                id: ReportId::from_ulid(id(1000)),
                tracking_id: TrackingId::from_number(12_345_678),
                channel: Channel::Web,
                entry_id: EntryId::from_ulid(id(5000)),
            },
            submission(target.map(Agency::to_ref), anonymous, confidential),
            &w.actors[REPORTER],
            &ctx,
        );
        Life {
            initial: report.clone(),
            report,
            entries: vec![first.entry],
            changes: Vec::new(),
            now,
            next_id: 5001,
        }
    }

    pub fn act(&mut self, w: &World, actor: usize, command: Command) -> Result<usize, Violation> {
        let actor = &w.actors[actor];
        let ctx = Context {
            now: self.now,
            calendar: &w.calendar,
        };
        let mut draft = Draft::new(self.report.clone());
        let next_id = &mut self.next_id;
        draft.take(actor, command, &ctx, &mut || {
            *next_id += 1;
            EntryId::from_ulid(id(*next_id - 1))
        })?;
        let finished = draft.finish();
        let entries: Vec<Entry> = finished.recorded.into_iter().map(|r| r.entry).collect();
        self.report = finished.after;
        self.entries.extend(entries.iter().cloned());
        let added = entries.len();
        self.changes.push(entries);
        Ok(added)
    }

    pub fn request_id(&self) -> RequestId {
        self.report
            .requests()
            .last()
            .map(|r| r.id.clone())
            .unwrap_or_else(|| RequestId::from_ulid(id(9)))
    }
}

pub fn msg(text: &str) -> Message {
    Message::parse(text).unwrap()
}

pub fn reason(text: &str) -> Reason {
    Reason::parse(text).unwrap()
}

pub fn verify(dispose_to: Option<&Agency>) -> Command {
    Command::Verification(Verification::Verify {
        dispose_to: dispose_to.map(Agency::to_ref),
        title: None,
        category: None,
        anonymous: None,
        confidential: None,
    })
}
