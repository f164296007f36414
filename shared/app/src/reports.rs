//! The report use cases: submit, read, act, and the lists.

use lapor_domain::actions::{self, Command, Context};
use lapor_domain::attachment::Attachment;
use lapor_domain::destinations::Destinations;
use lapor_domain::draft::Draft;
use lapor_domain::fields::Category;
use lapor_domain::lifecycle::Action;
use lapor_domain::permissions;
use lapor_domain::report::{Channel, Submission};
use lapor_domain::view::{ReportSummary, ReportView, report_summary, report_view};
use lapor_domain::worklist::{InboxBox, Scope};
use lapor_domain::{Actor, Agency, AgencyRef, AttachmentId, ReportId, TrackingId};
use serde::Serialize;
use time::Duration;

use crate::App;
use crate::attachments::Checked;
use crate::commit::Extras;
use crate::error::AppError;
use crate::ports::{
    ConflictKind, Cursor, FeedQuery, IdempotencyRecord, InboxCounts, InboxQuery, Page, ReportKey,
    StoreError, Stored,
};
use crate::secrets;
use crate::throttle::Limit;

/// How many tracking ids are drawn before giving up (each collision is rare: 1 in 90 million
/// per report already stored).
const TRACKING_ID_ATTEMPTS: usize = 8;

/// How often an append (a follow-up, comment or reply without `If-Match`) is written before a
/// version conflict is answered. Each lost try means another write landed in between, so this
/// many people writing to one report at once all get through.
pub const APPEND_ATTEMPTS: u32 = 32;

/// The pause before an append's `attempt`: random (so the writers that lost together do not
/// collide again together) and growing with the attempts, up to 100 ms.
fn append_pause(attempt: u32) -> std::time::Duration {
    use rand::Rng;
    let most = 10 * u64::from(attempt.min(10));
    std::time::Duration::from_millis(rand::rng().random_range(0..=most))
}

/// Access codes tried per tracking id and window before one is right.
const ACCESS_CODE_LIMIT: Limit = Limit {
    attempts: 5,
    window: Duration::minutes(15),
};

/// The answer to a submission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Submitted {
    /// Internal id.
    pub id: ReportId,
    /// Public short code.
    pub tracking_id: TrackingId,
    /// Always `submitted`.
    #[cfg_attr(feature = "openapi", schema(example = "submitted"))]
    pub status: String,
    /// The secret for a reporter without an account: shown once.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(example = "K7QX-93MF-TR2A-P4ZD"))]
    pub access_code: Option<String>,
}

/// An `Idempotency-Key` and what it guards.
#[derive(Clone, Debug)]
pub struct Idempotency {
    /// Who sent it: `public`, `report:{id}` or `user:{id}`; keys of different callers never meet.
    pub caller: String,
    /// The key as sent, keyed with a server secret by the caller of the app. It is the caller's
    /// secret: stored only as a hash, and it seals the access code kept for the retry.
    pub key: String,
    /// The hash of the request body.
    pub request_hash: String,
}

impl Idempotency {
    fn scope(&self) -> String {
        format!(
            "submit:{}:{}",
            self.caller,
            secrets::sha256_hex(self.key.as_bytes())
        )
    }
}

/// What an idempotency record keeps of a submission's answer. The access code is sealed under
/// the Idempotency-Key, so the store (and its backups) never hold a usable code: only a retry
/// that presents the key gets it back.
#[derive(Serialize, serde::Deserialize)]
struct RememberedSubmission {
    id: ReportId,
    tracking_id: TrackingId,
    status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    sealed_access_code: Option<String>,
}

/// A work-list page.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxItem {
    /// The report as the viewer may see it.
    #[serde(flatten)]
    pub summary: ReportSummary,
    /// Its running deadline has passed or was marked.
    pub overdue: bool,
    /// Working days since it reached its current status or holder.
    pub working_days_waiting: u32,
}

/// A report as the console shows it to a staff member.
#[derive(Clone, Debug)]
pub struct StaffView {
    /// The report as they may see it.
    pub report: ReportView,
    /// The actions they may take.
    pub actions: Vec<Action>,
    /// For each of those that sends the report somewhere, the agencies it may go to, by name.
    pub destinations: Vec<(Action, Vec<AgencyRef>)>,
    /// Working days left before its running deadline, in its holder's calendar; none once
    /// passed.
    pub days_left: Option<u32>,
}

impl StaffView {
    /// Where `action` may send the report; empty for an action that sends it nowhere.
    pub fn destinations_of(&self, action: Action) -> &[AgencyRef] {
        self.destinations
            .iter()
            .find(|(a, _)| *a == action)
            .map_or(&[], |(_, agencies)| agencies)
    }
}

impl App {
    pub(crate) fn context(&self) -> Context<'_> {
        Context {
            now: self.clock.now(),
            calendar: &self.calendar,
        }
    }

    /// Submits a report with the uploads named by `attachment_ids`. A retry with the same
    /// idempotency key and body answers the same.
    pub async fn submit(
        &self,
        actor: &Actor,
        mut submission: Submission,
        attachment_ids: &[AttachmentId],
        channel: Channel,
        idempotency: Option<Idempotency>,
    ) -> Result<Submitted, AppError> {
        if let Some(answer) = self.remembered(idempotency.as_ref()).await? {
            return Ok(answer);
        }
        submission.category = self.file_under(&submission.category).await?;
        let checked = self.check_attachments(actor, attachment_ids, &[]).await?;
        submission.attachments = Checked::files(&checked);
        let access_code = permissions::needs_access_code(actor)
            .then(|| secrets::new_access_code(self.ids.as_ref()));
        for _ in 0..TRACKING_ID_ATTEMPTS {
            let ctx = self.context();
            let new = actions::NewReport {
                id: ReportId::from_ulid(self.ids.ulid()),
                tracking_id: TrackingId::from_number(self.ids.tracking_number()),
                channel,
                entry_id: self.entry_id(),
            };
            let (report, first) = actions::submit(new, submission.clone(), actor, &ctx);
            let answer = Submitted {
                id: report.id().clone(),
                tracking_id: report.tracking_id().clone(),
                status: report.status().as_str().to_string(),
                access_code: access_code.clone(),
            };
            let extras = Extras {
                access_code_hash: access_code.as_deref().map(secrets::hash_access_code),
                idempotency: idempotency.as_ref().map(|key| IdempotencyRecord {
                    scope: key.scope(),
                    request_hash: key.request_hash.clone(),
                    response: Self::remember(&answer, key),
                    created_at: ctx.now,
                }),
            };
            let result = self
                .commit_new(report, first, extras, Checked::claims(&checked))
                .await;
            match result {
                Ok(()) => return Ok(answer),
                Err(StoreError::Conflict(ConflictKind::TrackingId)) => continue,
                Err(StoreError::Conflict(ConflictKind::IdempotencyKey)) => {
                    // A concurrent request with the same key won: answer as it did.
                    if let Some(answer) = self.remembered(idempotency.as_ref()).await? {
                        return Ok(answer);
                    }
                    return Err(StoreError::Conflict(ConflictKind::IdempotencyKey).into());
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(AppError::Unavailable(
            "no free tracking id found".to_string(),
        ))
    }

    /// The answer to keep for a retry with the same key.
    fn remember(answer: &Submitted, key: &Idempotency) -> serde_json::Value {
        let remembered = RememberedSubmission {
            id: answer.id.clone(),
            tracking_id: answer.tracking_id.clone(),
            status: answer.status.clone(),
            sealed_access_code: answer
                .access_code
                .as_deref()
                .map(|code| secrets::seal(code, &key.key)),
        };
        serde_json::to_value(remembered).unwrap_or_default()
    }

    /// The first answer given for an idempotency key, if any.
    async fn remembered(&self, key: Option<&Idempotency>) -> Result<Option<Submitted>, AppError> {
        let Some(key) = key else {
            return Ok(None);
        };
        let Some(record) = self.idempotency.idempotency(&key.scope()).await? else {
            return Ok(None);
        };
        if record.expires_at() <= self.clock.now() {
            // Not honoured any more, even where the store has yet to remove it.
            return Ok(None);
        }
        if record.request_hash != key.request_hash {
            return Err(AppError::IdempotencyMismatch);
        }
        let remembered: RememberedSubmission = serde_json::from_value(record.response)
            .map_err(|e| AppError::Unavailable(e.to_string()))?;
        Ok(Some(Submitted {
            id: remembered.id,
            tracking_id: remembered.tracking_id,
            status: remembered.status,
            access_code: remembered
                .sealed_access_code
                .and_then(|sealed| secrets::unseal(&sealed, &key.key)),
        }))
    }

    /// Exchanges a report's access code for the report's id; wrong codes are throttled per
    /// tracking id and client address.
    pub async fn open_with_access_code(
        &self,
        tracking_id: &TrackingId,
        code: &str,
        client: Option<std::net::IpAddr>,
    ) -> Result<ReportId, AppError> {
        let key = crate::throttle::per_client(&format!("access:{tracking_id}"), client);
        self.admit_attempt(&key, ACCESS_CODE_LIMIT).await?;
        let found = self.access_codes.access_code_hash(tracking_id).await?;
        match found {
            Some((id, hash)) if secrets::access_code_matches(code, &hash) => {
                self.throttle.clear(&key).await?;
                Ok(id)
            }
            _ => Err(AppError::WrongCredentials),
        }
    }

    /// Loads a report the actor may see, or "not found".
    async fn load_visible(&self, key: &ReportKey, actor: &Actor) -> Result<Stored, AppError> {
        let stored = self
            .reports
            .load(key)
            .await?
            .ok_or_else(AppError::not_found)?;
        if permissions::can_see(&stored.report, actor) {
            Ok(stored)
        } else {
            Err(AppError::not_found())
        }
    }

    /// The report as the actor may see it, with the actions they may take on it now (what a
    /// page offers as forms).
    pub async fn view_with_actions(
        &self,
        key: &ReportKey,
        actor: &Actor,
    ) -> Result<(ReportView, Vec<Action>), AppError> {
        let stored = self.load_visible(key, actor).await?;
        let actions = permissions::available(&stored.report, actor);
        let view = report_view(&stored.report, &stored.entries, actor, self.clock.now())
            .ok_or_else(AppError::not_found)?;
        Ok((view, actions))
    }

    /// The report as a staff member may see it, the actions they may take, and where each of
    /// those actions may send it: what the console's report page shows.
    pub async fn view_for_staff(
        &self,
        key: &ReportKey,
        actor: &Actor,
    ) -> Result<StaffView, AppError> {
        let stored = self.load_visible(key, actor).await?;
        let actions = permissions::available(&stored.report, actor);
        let report = report_view(&stored.report, &stored.entries, actor, self.clock.now())
            .ok_or_else(AppError::not_found)?;
        let rules: Vec<(Action, Destinations)> = actions
            .iter()
            .filter_map(|&action| {
                Destinations::of(&stored.report, actor, action).map(|rule| (action, rule))
            })
            .collect();
        let agencies = match rules.is_empty() {
            true => Vec::new(),
            false => self.agencies_where(|_| true).await?,
        };
        let destinations = rules
            .into_iter()
            .map(|(action, rule)| {
                let allowed = agencies
                    .iter()
                    .map(Agency::to_ref)
                    .filter(|agency| rule.allows(agency))
                    .collect();
                (action, allowed)
            })
            .collect();
        let now = self.clock.now();
        let days_left = stored
            .report
            .current_deadline()
            .filter(|(_, deadline)| now <= deadline.at)
            .map(|(_, deadline)| {
                self.calendar
                    .working_days_between(now, deadline.at, stored.report.zone())
            });
        Ok(StaffView {
            report,
            actions,
            destinations,
            days_left,
        })
    }

    /// The report as the actor may see it.
    pub async fn view(&self, key: &ReportKey, actor: &Actor) -> Result<ReportView, AppError> {
        let stored = self.load_visible(key, actor).await?;
        report_view(&stored.report, &stored.entries, actor, self.clock.now())
            .ok_or_else(AppError::not_found)
    }

    /// Takes an action on a report and answers with the report as the actor now sees it.
    /// `expected_version` (from `If-Match`) makes the action fail if the report has changed.
    pub async fn act(
        &self,
        key: &ReportKey,
        actor: &Actor,
        command: Command,
        expected_version: Option<u64>,
    ) -> Result<ReportView, AppError> {
        self.act_attaching(key, actor, &[], |_| command.clone(), expected_version)
            .await
    }

    /// Takes an action that carries the uploads named by `attachment_ids` (a follow-up, a
    /// reply, a completion): `command` makes the action from the checked files. An append
    /// (a follow-up, comment or reply) sent without `expected_version` that loses a race to
    /// another write is decided again on the report as it now is, up to [`APPEND_ATTEMPTS`]
    /// times: colleagues answering one report at once are not refused for it.
    pub async fn act_attaching(
        &self,
        key: &ReportKey,
        actor: &Actor,
        attachment_ids: &[AttachmentId],
        command: impl Fn(Vec<Attachment>) -> Command,
        expected_version: Option<u64>,
    ) -> Result<ReportView, AppError> {
        let retried = expected_version.is_none() && command(Vec::new()).action().is_append();

        // The uploads are checked once: a lost race rolls their claim back with the rest.
        let mut checked: Option<Vec<Checked>> = None;
        let mut filed: Option<Category> = None;
        let mut attempt = 1;
        loop {
            let Stored {
                report: before,
                mut entries,
            } = self
                .reports
                .load(key)
                .await?
                .ok_or_else(AppError::not_found)?;
            let ctx = self.context();
            // Whether the actor may act at all is answered before their uploads are looked at.
            let probe = command(Vec::new());
            // A completed submission may keep the files of the one it replaces.
            let kept = match probe {
                Command::Complete(_) => before.submission().attachments.as_slice(),
                _ => &[],
            };
            let mut probe_named = probe.clone();
            actions::decide(&before, actor, probe, &ctx)?;
            // A category the command names is filed under its code, once it may act.
            if filed.is_none()
                && let Some(named) = probe_named.category_mut()
            {
                filed = Some(self.file_under(named).await?);
            }
            let checked = match &mut checked {
                Some(checked) => checked,
                None => checked.insert(self.check_attachments(actor, attachment_ids, kept).await?),
            };
            if expected_version.is_some_and(|v| v != before.version()) {
                return Err(StoreError::Conflict(ConflictKind::Version).into());
            }
            let mut draft = Draft::new(before);
            let mut command = command(Checked::files(checked));
            if let (Some(code), Some(slot)) = (&filed, command.category_mut()) {
                *slot = code.clone();
            }
            draft.take(actor, command, &ctx, &mut || self.entry_id())?;
            match self.commit(draft.finish(), Checked::claims(checked)).await {
                Ok((report, new_entries)) => {
                    entries.extend(new_entries);
                    return report_view(&report, &entries, actor, ctx.now)
                        .ok_or_else(AppError::not_found);
                }
                Err(StoreError::Conflict(ConflictKind::Version))
                    if retried && attempt < APPEND_ATTEMPTS =>
                {
                    attempt += 1;
                    tokio::time::sleep(append_pause(attempt)).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// The public feed.
    pub async fn feed(&self, query: &FeedQuery) -> Result<Page<ReportSummary>, AppError> {
        let page = self.lists.feed(query).await?;
        let now = self.clock.now();
        Ok(Page {
            items: page
                .items
                .iter()
                .filter_map(|r| report_summary(r, &Actor::Public, now))
                .collect(),
            next: page.next,
        })
    }

    /// The reports a citizen reported while signed in, newest change first, as they see them.
    /// Nobody else has such a list: staff see reports through their work lists.
    pub async fn my_reports(
        &self,
        actor: &Actor,
        limit: usize,
        after: Option<&Cursor>,
    ) -> Result<Page<ReportSummary>, AppError> {
        let Actor::Citizen(person) = actor else {
            return Err(AppError::forbidden(
                "only citizens have reports of their own",
            ));
        };
        let page = self.lists.reported_by(&person.id, limit, after).await?;
        let now = self.clock.now();
        Ok(Page {
            items: page
                .items
                .iter()
                .filter_map(|r| report_summary(r, actor, now))
                .collect(),
            next: page.next,
        })
    }

    /// The work list of a staff member: its counts, and a page of one box.
    pub async fn inbox(
        &self,
        actor: &Actor,
        query: &InboxQuery,
    ) -> Result<(InboxCounts, Page<InboxItem>), AppError> {
        let counts = self.lists.inbox_counts(&query.scope, query.now).await?;
        Ok((counts, self.inbox_page(actor, query).await?))
    }

    /// A page of one box, as the viewer may see it.
    async fn inbox_page(
        &self,
        actor: &Actor,
        query: &InboxQuery,
    ) -> Result<Page<InboxItem>, AppError> {
        let page = self.lists.inbox(query).await?;
        let items = page
            .items
            .iter()
            .filter_map(|r| {
                let summary = report_summary(r, actor, query.now)?;
                Some(InboxItem {
                    summary,
                    overdue: r.is_overdue(query.now),
                    working_days_waiting: self.calendar.working_days_between(
                        r.waiting_since(),
                        query.now,
                        r.zone(),
                    ),
                })
            })
            .collect();
        Ok(Page {
            items,
            next: page.next,
        })
    }

    /// The overdue reports of a staff member's work list (Terlambat): those of every box with
    /// a running deadline, merged newest change first. Each box is read from the same
    /// position, so one page is one query per box: every box sorts by the last change.
    pub async fn overdue_inbox(
        &self,
        actor: &Actor,
        query: &InboxQuery,
    ) -> Result<(InboxCounts, Page<InboxItem>), AppError> {
        let counts = self.lists.inbox_counts(&query.scope, query.now).await?;
        let mut items = Vec::new();
        let mut more = false;
        for inbox in InboxBox::COUNTED {
            let boxed = InboxQuery {
                inbox,
                overdue_only: true,
                ..query.clone()
            };
            let page = self.inbox_page(actor, &boxed).await?;
            more |= page.next.is_some();
            items.extend(page.items);
        }
        items.sort_by(|a, b| {
            (b.summary.updated_at, &b.summary.id).cmp(&(a.summary.updated_at, &a.summary.id))
        });
        more |= items.len() > query.limit;
        items.truncate(query.limit);
        let next = items.last().filter(|_| more).map(|last| Cursor {
            updated_at: last.summary.updated_at,
            id: last.summary.id.clone(),
        });
        Ok((counts, Page { items, next }))
    }

    /// The work-list scope of an actor: national admins see the country, staff their agency.
    pub fn scope_of(actor: &Actor) -> Result<Scope, AppError> {
        permissions::work_list_scope(actor).ok_or_else(|| match actor {
            Actor::Public => AppError::Unauthenticated,
            _ => AppError::forbidden("the work list is for agency staff"),
        })
    }
}
