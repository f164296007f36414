//! The development world (`LAPOR_DEV_SEED=1`): four agencies and one account per role, with fixed
//! ids, so that the sample events in `events/` (whose tokens are signed with [`SECRET`]) act on
//! real records under `cargo lambda watch`. For a developer's machine only: the secret and the
//! passwords below are public.

use lapor_app::{App, User, secrets};
use lapor_domain::agency::{Agency, Profile};
use lapor_domain::fields::{AgencyName, Email, WorkingDays};
use lapor_domain::{AgencyId, AgencyPath, Role, UserId, Zone};

/// The token secret the sample events are signed with.
pub const SECRET: &str = "lapor-development-secret-only-for-local-use";

/// The password of every development account.
pub const PASSWORD: &str = "kata-sandi-pengembangan";

/// Pemerintah Kota Contoh, the root agency that receives dispositions.
pub const CITY: &str = "01JDF5M00000000000000002G1";
/// Dinas Pekerjaan Umum, a unit of the city.
pub const PUBLIC_WORKS: &str = "01JDF5M00000000000000002G2";
/// Dinas Perhubungan, another unit of the city (a report is forwarded there).
pub const TRANSPORT: &str = "01JDF5M00000000000000002G3";
/// Kementerian Contoh, a ministry (a report is copied there).
pub const MINISTRY: &str = "01JDF5M00000000000000002G4";

/// The accounts: id, name, e-mail, role, agency.
const ACCOUNTS: [(&str, &str, &str, Role, Option<&str>); 4] = [
    (
        "01JDF5M0000000000000000181",
        "Admin Nasional",
        "admin@contoh.id",
        Role::NationalAdmin,
        None,
    ),
    (
        "01JDF5M0000000000000000182",
        "Admin Pemkot",
        "admin.pemkot@contoh.id",
        Role::AgencyAdmin,
        Some(CITY),
    ),
    (
        "01JDF5M0000000000000000183",
        "Petugas Dinas PU",
        "petugas.pu@contoh.id",
        Role::LiaisonOfficer,
        Some(PUBLIC_WORKS),
    ),
    (
        "01JDF5M0000000000000000184",
        "Siti Aminah",
        "siti@contoh.id",
        Role::Citizen,
        None,
    ),
];

/// Seeds the development world into an empty store; says whether it did.
pub async fn seed(app: &App) -> anyhow::Result<bool> {
    if app.accounts.has_users().await? {
        return Ok(false);
    }
    let now = app.clock.now();
    let agency = |id: &str, name: &str, parent: Option<&Agency>| -> anyhow::Result<Agency> {
        let id = AgencyId::parse(id).map_err(anyhow::Error::msg)?;
        Ok(Agency {
            path: match parent {
                Some(p) => p.path.child(id.clone()),
                None => AgencyPath::root(id.clone()),
            },
            id,
            name: AgencyName::parse(name).map_err(anyhow::Error::msg)?,
            zone: Zone::Wib,
            response_days: WorkingDays::RESPONSE_DEFAULT,
            profile: Profile::default(),
            replies: Vec::new(),
            created_at: now,
            version: 1,
        })
    };
    let city = agency(CITY, "Pemerintah Kota Contoh", None)?;
    let agencies = [
        agency(PUBLIC_WORKS, "Dinas Pekerjaan Umum", Some(&city))?,
        agency(TRANSPORT, "Dinas Perhubungan", Some(&city))?,
        agency(MINISTRY, "Kementerian Contoh", None)?,
        city,
    ];
    for agency in &agencies {
        app.agencies.create_agency(agency).await?;
    }
    for (id, name, email, role, agency_id) in ACCOUNTS {
        let user = User {
            id: UserId::parse(id).map_err(anyhow::Error::msg)?,
            name: name.to_string(),
            email: Some(Email::parse(email).map_err(anyhow::Error::msg)?),
            phone: None,
            password_hash: secrets::hash_password(PASSWORD.into(), app.ids.secret(16)).await?,
            role,
            agency_id: agency_id
                .map(AgencyId::parse)
                .transpose()
                .map_err(anyhow::Error::msg)?,
            created_at: now,
            active: true,
            version: 1,
            signed_out_at: None,
            email_confirmed: true,
            phone_confirmed: true,
            codes: Vec::new(),
        };
        let path = agencies
            .iter()
            .find(|agency| Some(&agency.id) == user.agency_id.as_ref())
            .map(|agency| &agency.path);
        let lists = lapor_app::StaffList::of(user.role, path);
        app.accounts.create_user(&user, &lists).await?;
    }
    Ok(true)
}
