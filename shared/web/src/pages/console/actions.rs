//! `POST /admin/laporan/{tracking_id}/{aksi}`: the console's action forms. Each form is read
//! into the command the JSON API would take; the forms that decide about the report's state
//! carry the version they were loaded at (`If-Match`), so a report someone else changed is shown
//! again as it now is, with what was typed kept, instead of being overwritten.

use axum::extract::{Path, State};
use axum::response::Response;
use lapor_app::{AppError, ReportKey};
use lapor_domain::actions::{Command, Verification};
use lapor_domain::fields::{Message, Note, Reason};
use lapor_domain::lifecycle::Action;
use lapor_domain::{AgencyId, AgencyRef, FieldError, RequestId, Violation};
use lapor_http::AppState;

use super::Staff;
use super::report::{again, guarded, key};
use crate::form::{self, Posted, Problems, Sent};
use crate::pages::files::{self, FormFiles};
use crate::pages::{Failure, see_other};
use crate::session::CSRF_FIELD;

/// The hidden field carrying the version a guarded form was loaded at.
const VERSION_FIELD: &str = "versi";

/// What the page says when the report changed under a guarded form.
const CHANGED: &str = "Laporan ini telah diubah oleh orang lain sejak halaman dimuat, dan \
                       tidak ada yang disimpan. Periksa keadaannya sekarang di bawah; isian Anda \
                       masih ada.";

/// The action of a form, by the last segment of its path.
fn action_of(aksi: &str) -> Option<Action> {
    Some(match aksi {
        "verifikasi" => Action::Verify,
        "disposisi" => Action::Dispose,
        "tindak-lanjut" => Action::FollowUp,
        "tutup" => Action::Close,
        "komentar" => Action::Comment,
        "teruskan" => Action::Forward,
        "salinan" => Action::Copy,
        "bukan-wewenang" => Action::RequestNotAuthority,
        "keputusan" => Action::DecideNotAuthority,
        "buka-kembali" => Action::Reopen,
        _ => return None,
    })
}

/// A form's text fields read as their types read them, each problem told beside its field.
struct Reader<'a> {
    sent: &'a Sent,
    problems: Problems,
}

impl<'a> Reader<'a> {
    fn new(sent: &'a Sent) -> Self {
        Self {
            sent,
            problems: Problems::default(),
        }
    }

    /// A text field; `message` tells what is wanted when it is missing (if `required`) or
    /// breaks its type's rules.
    fn text<T>(
        &mut self,
        field: &str,
        required: bool,
        parse: impl Fn(&str) -> Result<T, String>,
        message: &str,
    ) -> Option<T> {
        form::field(
            self.sent,
            &mut self.problems,
            field,
            required,
            parse,
            message,
        )
    }

    /// The agency chosen in a select, as the lookup of the store finds it.
    async fn agency(&mut self, state: &AppState, field: &str, required: bool) -> Option<AgencyRef> {
        let Some(raw) = self.sent.get(field) else {
            if required {
                self.problems.add(field, "Pilih instansinya.");
            }
            return None;
        };
        let Ok(id) = AgencyId::parse(raw) else {
            self.problems.add(field, "Pilih instansi dari daftar.");
            return None;
        };
        match state.app.agency_ref(&id, field).await {
            Ok(agency) => Some(agency),
            Err(_) => {
                self.problems.add(field, "Pilih instansi dari daftar.");
                None
            }
        }
    }
}

const REASON: &str = "Tulis alasannya (paling banyak 2.000 karakter).";
const NOTE: &str = "Catatan paling banyak 2.000 karakter.";
const MESSAGE: &str = "Tulis teksnya (paling banyak 10.000 karakter).";

/// The command of an action's form, or its problems.
async fn command(state: &AppState, action: Action, sent: &Sent) -> Result<Command, Problems> {
    let mut r = Reader::new(sent);
    let command = match action {
        Action::Verify => {
            let decision = sent.get("keputusan");
            let reason = r.text(
                "verifikasi-alasan",
                matches!(decision, Some("return" | "archive")),
                Reason::parse,
                REASON,
            );
            let dispose_to = r.agency(state, "verifikasi-ke", false).await;
            let verification = match (decision, reason) {
                (Some("verify"), _) => Some(Verification::Verify {
                    dispose_to,
                    title: None,
                    category: None,
                    anonymous: sent.ticked("verifikasi-anonim").then_some(true),
                    confidential: sent.ticked("verifikasi-rahasia").then_some(true),
                }),
                (Some("return"), Some(reason)) => Some(Verification::Return { reason }),
                (Some("archive"), Some(reason)) => Some(Verification::Archive { reason }),
                (Some("return" | "archive"), None) => None,
                _ => {
                    r.problems
                        .add("keputusan-verify", "Pilih keputusan verifikasi.");
                    None
                }
            };
            verification.map(Command::Verification)
        }
        Action::Dispose => {
            let to = r.agency(state, "disposisi-ke", true).await;
            let note = r.text("disposisi-catatan", false, Note::parse, NOTE);
            to.map(|to| Command::Dispose { to, note })
        }
        Action::Forward => {
            let to = r.agency(state, "teruskan-ke", true).await;
            let note = r.text("teruskan-catatan", false, Note::parse, NOTE);
            to.map(|to| Command::Forward { to, note })
        }
        Action::Copy => r
            .agency(state, "salin-ke", true)
            .await
            .map(|to| Command::Copy { to }),
        Action::FollowUp => r
            .text("tindak-lanjut", true, Message::parse, MESSAGE)
            .map(|body| Command::FollowUp {
                body,
                attachments: Vec::new(),
            }),
        Action::Comment => r
            .text("komentar", true, Message::parse, MESSAGE)
            .map(|body| Command::Comment {
                body,
                internal: sent.ticked("komentar-internal"),
            }),
        Action::Close => {
            let note = r.text("tutup-catatan", false, Note::parse, NOTE);
            Some(Command::Close { note })
        }
        Action::RequestNotAuthority => {
            r.text("bukan-wewenang", true, Reason::parse, REASON)
                .map(|reason| Command::RequestNotAuthority {
                    request_id: RequestId::from_ulid(state.app.ids.ulid()),
                    reason,
                })
        }
        Action::DecideNotAuthority => {
            let accept = match sent.get("keputusan-permintaan") {
                Some("accept") => Some(true),
                Some("reject") => Some(false),
                _ => {
                    r.problems
                        .add("keputusan-permintaan-accept", "Pilih Terima atau Tolak.");
                    None
                }
            };
            let reason = r.text("keputusan-alasan", false, Reason::parse, REASON);
            let dispose_to = r.agency(state, "keputusan-ke", false).await;
            let request_id = sent
                .get("permintaan")
                .and_then(|id| RequestId::parse(id).ok());
            match (accept, request_id) {
                (Some(accept), Some(request_id)) => Some(Command::DecideNotAuthority {
                    request_id,
                    accept,
                    reason,
                    dispose_to,
                }),
                _ => None,
            }
        }
        Action::Reopen => r
            .text("buka-alasan", true, Reason::parse, REASON)
            .map(|reason| Command::Reopen { reason }),
        _ => None,
    };
    match command {
        Some(command) if r.problems.is_empty() => Ok(command),
        _ if r.problems.is_empty() => {
            let mut problems = r.problems;
            problems.add("konten", "Periksa kembali isian formulir ini.");
            Err(problems)
        }
        _ => Err(r.problems),
    }
}

/// The API's field errors in the words of the action's form.
fn describe(action: Action) -> impl Fn(&FieldError) -> Option<(&'static str, String)> {
    move |error| {
        let field = match (action, error.field.as_str()) {
            (Action::Verify, "dispose_to") => "verifikasi-ke",
            (Action::Dispose, "agency_id") => "disposisi-ke",
            (Action::Forward, "agency_id") => "teruskan-ke",
            (Action::Copy, "agency_id") => "salin-ke",
            (Action::DecideNotAuthority, "dispose_to") => "keputusan-ke",
            (Action::FollowUp, _) => return files::describe(error),
            _ => return None,
        };
        Some((
            field,
            "Instansi ini tidak dapat dipilih untuk tindakan ini.".to_string(),
        ))
    }
}

/// The field a refused form's problems fall back to: its first.
fn first_field(action: Action) -> &'static str {
    match action {
        Action::Verify => "keputusan-verify",
        Action::Dispose => "disposisi-ke",
        Action::FollowUp => "tindak-lanjut",
        Action::Close => "tutup-catatan",
        Action::Comment => "komentar",
        Action::Forward => "teruskan-ke",
        Action::Copy => "salin-ke",
        Action::RequestNotAuthority => "bukan-wewenang",
        Action::DecideNotAuthority => "keputusan-permintaan-accept",
        _ => "buka-alasan",
    }
}

/// `POST /admin/laporan/{tracking_id}/{aksi}`.
pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path((tracking_id, aksi)): Path<(String, String)>,
    posted: Posted,
) -> Result<Response, Failure> {
    let sent = posted.sent.clone();
    staff.visitor.check_csrf(sent.get(CSRF_FIELD))?;
    let key = key(&tracking_id)?;
    let action = action_of(&aksi).ok_or(Failure::NotFound)?;
    let files_posted = !posted.files.is_empty();
    let mut problems = Problems::default();
    let files = match action {
        Action::FollowUp => Some(FormFiles::read(&posted, &mut problems)),
        _ => None,
    };
    let command = command(&state, action, &sent).await;
    let command = match command {
        Ok(command) if problems.is_empty() => command,
        Ok(_) => return again(&state, &staff, &key, sent, problems, None, files_posted).await,
        Err(mut more) => {
            for p in problems.iter() {
                more.add(&p.field, p.message.clone());
            }
            return again(&state, &staff, &key, sent, more, None, files_posted).await;
        }
    };
    let version = match guarded(action) {
        true => match sent.get(VERSION_FIELD).and_then(|v| v.parse().ok()) {
            Some(version) => Some(version),
            // A guarded form always carries it: one without was not sent by this page.
            None => return Err(Failure::NotAForm),
        },
        false => None,
    };
    let done = match files {
        Some(files) => {
            let ids = files.store(&state, &staff.visitor.actor).await?;
            state
                .app
                .act_attaching(
                    &key,
                    &staff.visitor.actor,
                    &ids,
                    |attachments| match &command {
                        Command::FollowUp { body, .. } => Command::FollowUp {
                            body: body.clone(),
                            attachments,
                        },
                        other => other.clone(),
                    },
                    version,
                )
                .await
        }
        None => {
            state
                .app
                .act(&key, &staff.visitor.actor, command, version)
                .await
        }
    };
    refused_or_done(
        &state,
        &staff,
        &key,
        &tracking_id,
        action,
        sent,
        done,
        files_posted,
    )
    .await
}

/// After the action: the report page again (303), or the form shown again with why it was
/// refused. A conflict (the report moved on, or the action no longer fits its state) shows the
/// report as it now is, with what was typed.
#[expect(
    clippy::too_many_arguments,
    reason = "one call site: the handler's parts"
)]
async fn refused_or_done<T>(
    state: &AppState,
    staff: &Staff,
    key: &ReportKey,
    tracking_id: &str,
    action: Action,
    sent: Sent,
    done: Result<T, AppError>,
    files_posted: bool,
) -> Result<Response, Failure> {
    match done {
        Ok(_) => Ok(see_other(&format!("/admin/laporan/{tracking_id}"))),
        Err(AppError::Rule(Violation::Invalid(errors))) => {
            let problems = Problems::from_api(&errors, first_field(action), describe(action));
            again(state, staff, key, sent, problems, None, files_posted).await
        }
        Err(AppError::Rule(Violation::Conflict(_))) => {
            let conflict = Some(CHANGED.to_string());
            again(
                state,
                staff,
                key,
                sent,
                Problems::default(),
                conflict,
                files_posted,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
