//! One-time codes, sent through the outgoing webhook gateway (SMS, e-mail): one confirms an
//! account's e-mail address or phone number, another resets a forgotten password. Until a
//! contact is confirmed no notification and no reset goes to it; signing in works at once.
//!
//! A code is six digits, lasts [`CODE_LASTS`], and is kept on its account only as a hash; a
//! new one of the same purpose replaces it, and it is bound to the contact it was sent to.
//! Guesses are throttled per account ([`GUESS_LIMIT`]), and codes sent per account and per login
//! asked for ([`SEND_LIMIT`]): a gateway message costs money. A code is sent at once, not through the outbox: it is worth nothing a quarter of an
//! hour later, and a failed send is answered 503 for the person to ask again.

use std::net::IpAddr;

use lapor_domain::Actor;
use lapor_domain::fields::Password;
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::App;
use crate::error::AppError;
use crate::ports::{Login, User};
use crate::secrets;
use crate::throttle::{Limit, per_client};

/// How long a code lasts.
pub const CODE_LASTS: Duration = Duration::minutes(15);
/// Wrong codes allowed per account in a window, wherever they come from: six digits must not
/// be guessed from many addresses at once (a guesser can hold the owner back a quarter of an
/// hour at worst).
const GUESS_LIMIT: Limit = Limit {
    attempts: 5,
    window: Duration::minutes(15),
};
/// Codes sent per account (or login asked for) in a window.
const SEND_LIMIT: Limit = Limit {
    attempts: 3,
    window: Duration::minutes(15),
};

/// Which contact a code goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    Email,
    Phone,
}

impl ContactKind {
    /// Parses `email` or `phone`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "email" => Ok(Self::Email),
            "phone" => Ok(Self::Phone),
            _ => Err("must be email or phone".to_string()),
        }
    }

    fn of(login: &Login) -> Self {
        match login {
            Login::Email(_) => Self::Email,
            Login::Phone(_) => Self::Phone,
        }
    }
}

/// What a code is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodePurpose {
    /// Confirms the account's contact of this kind.
    Confirm(ContactKind),
    /// Sets a new password; sent to the contact of this kind.
    Reset(ContactKind),
}

/// A code sent and not used yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentCode {
    pub purpose: CodePurpose,
    /// SHA-256 of the account, the purpose, the contact and the code ([`code_hash`]).
    pub hash: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// The hash a code is kept as: of the account, the purpose, the contact it was sent to and the
/// code, so that a code sent to one address never confirms another put in its place.
fn code_hash(user: &User, purpose: CodePurpose, code: &str) -> String {
    let kind = match purpose {
        CodePurpose::Confirm(kind) | CodePurpose::Reset(kind) => kind,
    };
    let to = contact(user, kind).map(|(to, _)| to).unwrap_or_default();
    let purpose = serde_json::to_string(&purpose).unwrap_or_default();
    secrets::sha256_hex(format!("{}:{purpose}:{to}:{code}", user.id).as_bytes())
}

/// The account's contact of `kind`, and whether it is confirmed.
fn contact(user: &User, kind: ContactKind) -> Option<(String, bool)> {
    match kind {
        ContactKind::Email => user
            .email
            .as_ref()
            .map(|e| (e.as_str().to_string(), user.email_confirmed)),
        ContactKind::Phone => user
            .phone
            .as_ref()
            .map(|p| (p.as_str().to_string(), user.phone_confirmed)),
    }
}

/// The wrong or expired code, as every such answer reads.
fn wrong_code() -> AppError {
    AppError::field("code", "is wrong or has expired; ask for a new one")
}

impl App {
    /// Sends a code confirming the caller's contact of `kind`.
    pub async fn send_confirmation_code(
        &self,
        actor: &Actor,
        kind: ContactKind,
    ) -> Result<(), AppError> {
        let user = self.me(actor).await?;
        match contact(&user, kind) {
            None => Err(AppError::field(
                "channel",
                "the account has no such contact",
            )),
            Some((_, true)) => Err(AppError::conflict("this contact is confirmed already")),
            Some((to, false)) => {
                self.admit_attempt(&format!("code-send:{}", user.id), SEND_LIMIT)
                    .await?;
                let code = self.issue(user, CodePurpose::Confirm(kind)).await?;
                self.send_code(kind, &to, CodePurpose::Confirm(kind), &code)
                    .await
            }
        }
    }

    /// Sends confirmation codes to each contact of a new account; a gateway that fails does not
    /// undo the registration (the person asks again later).
    pub(crate) async fn send_first_codes(&self, actor: &Actor) {
        if self.webhooks.channels().is_empty() {
            return;
        }
        for kind in [ContactKind::Email, ContactKind::Phone] {
            match self.send_confirmation_code(actor, kind).await {
                Ok(()) | Err(AppError::Rule(lapor_domain::Violation::Invalid(_))) => {}
                Err(e) => tracing::warn!(error = %e, ?kind, "no confirmation code sent"),
            }
        }
    }

    /// Confirms the caller's contact of `kind` with the code sent to it.
    pub async fn confirm_contact(
        &self,
        actor: &Actor,
        kind: ContactKind,
        code: &str,
    ) -> Result<User, AppError> {
        let user = self.me(actor).await?;
        let key = format!("code:{}", user.id);
        self.admit_attempt(&key, GUESS_LIMIT).await?;
        let mut after = self.used(&user, CodePurpose::Confirm(kind), code)?;
        match kind {
            ContactKind::Email => after.email_confirmed = true,
            ContactKind::Phone => after.phone_confirmed = true,
        }
        self.throttle.clear(&key).await?;
        self.rewrite_account(user, after).await
    }

    /// Sends a code to reset the password of the account `login` names, if it has one and that
    /// contact is confirmed. The answer is the same either way: it tells nobody which logins
    /// exist (only the time it takes may: a code sent waits for the gateway).
    pub async fn request_password_reset(
        &self,
        login: &Login,
        client: Option<IpAddr>,
    ) -> Result<(), AppError> {
        let subject = format!("reset:{}", login_text(login));
        self.admit_attempt(&per_client(&subject, client), SEND_LIMIT)
            .await?;
        // Past the limit every login shares, nothing that follows may change the answer: a
        // failure is logged, never told.
        if let Err(e) = self.send_reset_code(login).await {
            tracing::warn!(error = %e, "no reset code sent");
        }
        Ok(())
    }

    /// Sends a reset code for `login` if it names an active account whose contact is confirmed.
    async fn send_reset_code(&self, login: &Login) -> Result<(), AppError> {
        let Some(user) = self.accounts.user_by_login(login).await? else {
            return Ok(());
        };
        if self.webhooks.channels().is_empty() {
            return Ok(());
        }
        let kind = ContactKind::of(login);
        match contact(&user, kind) {
            Some((to, true)) if user.active => {
                self.admit_attempt(&format!("code-send:{}", user.id), SEND_LIMIT)
                    .await?;
                let code = self.issue(user, CodePurpose::Reset(kind)).await?;
                self.send_code(kind, &to, CodePurpose::Reset(kind), &code)
                    .await
            }
            _ => Ok(()),
        }
    }

    /// Sets a new password with the reset code sent for `login`; every session and token of
    /// the account ends.
    pub async fn reset_password(
        &self,
        login: &Login,
        code: &str,
        password: Password,
    ) -> Result<(), AppError> {
        let key = format!("code:{}", login_text(login));
        self.admit_attempt(&key, GUESS_LIMIT).await?;
        let user = self
            .accounts
            .user_by_login(login)
            .await?
            .filter(|u| u.active)
            .ok_or_else(wrong_code)?;
        let mut after = self.used(&user, CodePurpose::Reset(ContactKind::of(login)), code)?;
        after.password_hash =
            secrets::hash_password(password.expose().to_string(), self.ids.secret(16)).await?;
        after.signed_out_at = Some(self.clock.now());
        self.throttle.clear(&key).await?;
        self.rewrite_account(user, after).await.map(|_| ())
    }

    /// A fresh code for `purpose`, kept on the account (replacing one of the same purpose).
    async fn issue(&self, user: User, purpose: CodePurpose) -> Result<String, AppError> {
        let random = self.ids.secret(4);
        let number = u32::from_be_bytes(random.try_into().unwrap_or_default()) % 1_000_000;
        let code = format!("{number:06}");
        let now = self.clock.now();
        let mut after = user.clone();
        after
            .codes
            .retain(|c| c.purpose != purpose && c.expires_at > now);
        after.codes.push(SentCode {
            purpose,
            hash: code_hash(&user, purpose, &code),
            expires_at: now + CODE_LASTS,
        });
        self.rewrite_account(user, after).await?;
        Ok(code)
    }

    /// The account with the code of `purpose` used up, if `code` is it and still good.
    fn used(&self, user: &User, purpose: CodePurpose, code: &str) -> Result<User, AppError> {
        let now = self.clock.now();
        let hash = code_hash(user, purpose, code.trim());
        let valid = user
            .codes
            .iter()
            .any(|c| c.purpose == purpose && c.expires_at > now && c.hash == hash);
        if !valid {
            return Err(wrong_code());
        }
        let mut after = user.clone();
        after.codes.retain(|c| c.purpose != purpose);
        Ok(after)
    }

    /// Posts a code to every webhook channel, for the gateway to reach `to`.
    async fn send_code(
        &self,
        kind: ContactKind,
        to: &str,
        purpose: CodePurpose,
        code: &str,
    ) -> Result<(), AppError> {
        let (event, text) = match purpose {
            CodePurpose::Confirm(_) => (
                "contact_confirmation",
                format!(
                    "Kode konfirmasi LAPOR! Anda: {code}. Berlaku 15 menit. Jangan berikan kode \
                     ini kepada siapa pun."
                ),
            ),
            CodePurpose::Reset(_) => (
                "password_reset",
                format!(
                    "Kode untuk mengganti kata sandi LAPOR! Anda: {code}. Berlaku 15 menit. \
                     Abaikan pesan ini bila Anda tidak memintanya."
                ),
            ),
        };
        let id = secrets::hex(&self.ids.secret(16));
        let to = match kind {
            ContactKind::Email => json!({"email": to, "phone": null}),
            ContactKind::Phone => json!({"email": null, "phone": to}),
        };
        let payload = json!({"id": id, "event": event, "text": text, "to": to});
        let channels = self.webhooks.channels();
        if channels.is_empty() {
            // A deployment without a gateway sends nothing at all, codes or notifications.
            return Err(AppError::conflict(
                "no webhook gateway is configured to send codes",
            ));
        }
        for channel in channels {
            self.post_with_backoff(&channel, &id, &payload)
                .await
                .map_err(|e| AppError::Unavailable(format!("{channel}: {e}")))?;
        }
        Ok(())
    }
}

/// A login as text, for throttle keys.
fn login_text(login: &Login) -> String {
    match login {
        Login::Email(e) => e.as_str().to_string(),
        Login::Phone(p) => p.as_str().to_string(),
    }
}
