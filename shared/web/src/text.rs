//! The words the pages use for the domain's values, in Bahasa Indonesia: one place to change
//! them (README.md, "The web pages").

use lapor_domain::Status;
use lapor_domain::category::Categories;
use lapor_domain::event::EventKind;
use lapor_domain::fields::Classification;
use lapor_domain::report::Channel;
use time::OffsetDateTime;

/// A status in words (UI.md, `/pengaduan/{tracking_id}`).
pub fn status(status: Status) -> &'static str {
    match status {
        Status::Submitted => "Belum Terverifikasi",
        Status::Returned => "Dikembalikan",
        Status::Archived => "Diarsipkan",
        Status::Disposed => "Belum Ditindaklanjuti",
        Status::InProgress => "Sedang Diproses",
        Status::Closed => "Selesai",
    }
}

/// The categories a form offers, as (code, the names from the top down).
pub fn offered_categories(categories: &Categories) -> Vec<(String, String)> {
    categories
        .offered()
        .map(|entry| (entry.code.as_str().to_string(), categories.full_name(entry)))
        .collect()
}

/// A province with its regencies and cities, as the form's grouped select offers them.
pub struct ProvinceGroup {
    pub code: &'static str,
    pub name: &'static str,
    pub regencies: &'static [lapor_regions::Region],
}

/// Every province with its regencies, by code: the same for every page, made once.
pub fn regions() -> &'static [ProvinceGroup] {
    static GROUPS: std::sync::LazyLock<Vec<ProvinceGroup>> = std::sync::LazyLock::new(|| {
        lapor_regions::provinces()
            .iter()
            .map(|p| ProvinceGroup {
                code: p.code,
                name: p.name,
                regencies: lapor_regions::children(p.code),
            })
            .collect()
    });
    &GROUPS
}

/// A report in a list of a page (`templates/report_rows.html`): its title, tracking id, status
/// in words and last change.
pub struct ReportRow {
    pub tracking_id: String,
    pub title: String,
    pub status: &'static str,
    pub updated: String,
}

impl ReportRow {
    pub fn of(report: &lapor_domain::view::ReportSummary) -> Self {
        Self {
            tracking_id: report.tracking_id.to_string(),
            title: report.title.clone(),
            status: status(report.status),
            updated: moment(report.updated_at),
        }
    }
}

/// The kinds of report, by the value of the form's radios.
pub const CLASSIFICATIONS: [(&str, Classification, &str); 3] = [
    ("complaint", Classification::Complaint, "Pengaduan"),
    ("aspiration", Classification::Aspiration, "Aspirasi"),
    (
        "information_request",
        Classification::InformationRequest,
        "Permintaan Informasi",
    ),
];

pub fn classification(kind: Classification) -> &'static str {
    CLASSIFICATIONS
        .iter()
        .find(|(_, k, _)| *k == kind)
        .map_or("Pengaduan", |(_, _, words)| words)
}

pub fn channel(channel: Channel) -> &'static str {
    match channel {
        Channel::Web => "Website",
        Channel::Mobile => "Aplikasi",
        Channel::Sms => "SMS",
        Channel::SocialMedia => "Media sosial",
        Channel::Manual => "Petugas",
        Channel::Api => "Integrasi",
    }
}

/// What a timeline entry records, in words.
pub fn event(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Submitted => "Laporan dikirim",
        EventKind::Verified => "Laporan diverifikasi",
        EventKind::Returned => "Laporan dikembalikan ke pelapor",
        EventKind::Completed => "Laporan dilengkapi pelapor",
        EventKind::Archived => "Laporan diarsipkan",
        EventKind::Disposed => "Laporan didisposisikan",
        EventKind::Forwarded => "Laporan diteruskan",
        EventKind::Copied => "Salinan dikirim",
        EventKind::FollowUp => "Tindak lanjut",
        EventKind::Comment => "Komentar",
        EventKind::Reply => "Balasan pelapor",
        EventKind::NotAuthorityRequested => "Diajukan bukan wewenang",
        EventKind::NotAuthorityAccepted => "Permintaan bukan wewenang diterima",
        EventKind::NotAuthorityRejected => "Permintaan bukan wewenang ditolak",
        EventKind::Closed => "Laporan ditutup",
        EventKind::AutoClosed => "Laporan ditutup otomatis",
        EventKind::Reopened => "Laporan dibuka kembali",
        EventKind::Rated => "Penilaian pelapor",
        EventKind::Overdue => "Melewati batas waktu",
        EventKind::DeadlineWarning => "Mendekati batas waktu",
        EventKind::Escalated => "Dieskalasi",
    }
}

/// Who acted, by the role the timeline tells.
pub fn role(role: &str) -> &'static str {
    match role {
        "citizen" => "Pelapor",
        "national_admin" => "Admin Nasional",
        "agency_admin" => "Admin Instansi",
        "liaison_officer" => "Pejabat Penghubung",
        _ => "Sistem",
    }
}

const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// A moment as Jakarta reads it: `2 Desember 2026 14.05 WIB`.
pub fn moment(at: OffsetDateTime) -> String {
    let at = at.to_offset(lapor_domain::Zone::Wib.offset());
    format!(
        "{} {} {} {:02}.{:02} WIB",
        at.day(),
        MONTHS[usize::from(u8::from(at.month())) - 1],
        at.year(),
        at.hour(),
        at.minute()
    )
}

/// A date: `2 Desember 2026`.
pub fn date(date: time::Date) -> String {
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[usize::from(u8::from(date.month())) - 1],
        date.year()
    )
}
