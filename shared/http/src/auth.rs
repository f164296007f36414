//! Tokens: signed JWTs (HS256) for users and for a report's access code, and the extractor that
//! turns a request's `Authorization` header into the domain's [`Actor`].

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use lapor_app::accounts::SignedIn;
use lapor_domain::{Actor, AgencyId, AgencyPath, Person, ReportId, Role, UserId};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use time::{Duration, OffsetDateTime};

use crate::AppState;
use crate::problem::Problem;

/// How long a user's token lasts: one working day.
pub const USER_TOKEN_TTL: Duration = Duration::hours(8);
/// How long a report's access token lasts.
pub const REPORT_TOKEN_TTL: Duration = Duration::hours(24);

/// What a token says.
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    /// The user, or the report for an access token.
    sub: String,
    /// `user` or `report`.
    kind: String,
    /// The user's role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    role: Option<Role>,
    /// The user's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    /// The staff member's agency, from the top of the tree down.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    agency_path: Vec<String>,
    /// Always [`ISSUER`].
    iss: String,
    /// Always [`AUDIENCE`].
    aud: String,
    /// When it was issued, to the microsecond (a NumericDate may have a fraction): a sign-out
    /// ends the tokens issued before it, even in the same second.
    iat: f64,
    exp: i64,
}

/// Who issues lapor's tokens, and for whom: a token signed with the same secret for another
/// purpose (or by another tool sharing it) is not a lapor token.
const ISSUER: &str = "lapor";
const AUDIENCE: &str = "lapor-api";

/// A token's `iat`: seconds since the epoch, with their fraction.
fn issued(now: OffsetDateTime) -> f64 {
    now.unix_timestamp_nanos() as f64 / 1e9
}

/// Signs and checks tokens, and holds the keys derived from the same secret for list cursors and
/// idempotency keys (never usable as a token key).
///
/// Signing keys rotate: each token names its key (`kid`, derived from the secret, so it tells
/// nothing of it), and during a rotation the tokens of the previous secret are still accepted
/// until they expire; new ones are signed with the current secret. Cursors and idempotency
/// keys follow the current secret only: a cursor from before a rotation is refused (400, start
/// the list again).
pub struct Tokens {
    encoding: EncodingKey,
    /// The current key's id.
    kid: String,
    /// The keys tokens may be signed with, by id: the current one, and the previous one during
    /// a rotation.
    decoding: Vec<(String, DecodingKey)>,
    validation: Validation,
    /// Key for cursors.
    pub(crate) cursor_key: Vec<u8>,
    /// Key for idempotency keys.
    idempotency_key: Vec<u8>,
    /// Key for the web pages' form tokens and sealed cookies.
    web_key: Vec<u8>,
}

/// A key's id: the first 8 bytes of a hash of its secret, in hex.
fn key_id(secret: &[u8]) -> String {
    use sha2::Digest as _;
    let digest = Sha256::new()
        .chain_update(b"lapor-kid:")
        .chain_update(secret)
        .finalize();
    lapor_app::secrets::hex(&digest[..8])
}

impl Tokens {
    /// Keys from a secret (at least 32 bytes).
    pub fn new(secret: &[u8]) -> Self {
        Self::rotating(secret, None)
    }

    /// Keys from the current secret, still accepting the tokens of `previous` (a rotation).
    pub fn rotating(secret: &[u8], previous: Option<&[u8]>) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        let derived = |purpose: &[u8]| [purpose, secret].concat();
        let decoding = std::iter::once(secret)
            .chain(previous)
            .map(|secret| (key_id(secret), DecodingKey::from_secret(secret)))
            .collect();
        Self {
            encoding: EncodingKey::from_secret(secret),
            kid: key_id(secret),
            decoding,
            validation,
            cursor_key: derived(b"lapor-cursor:"),
            idempotency_key: derived(b"lapor-idempotency:"),
            web_key: derived(b"lapor-web:"),
        }
    }

    /// The key a token names; a token naming none (issued before keys had ids) is the current
    /// key's.
    fn decoding_key(&self, token: &str) -> Option<&DecodingKey> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        match header.kid {
            Some(kid) => self
                .decoding
                .iter()
                .find(|(id, _)| *id == kid)
                .map(|(_, key)| key),
            None => self.decoding.first().map(|(_, key)| key),
        }
    }

    /// A caller's `Idempotency-Key` keyed with the server's secret (HMAC-SHA256, hex). The app
    /// stores a hash of it and seals the access code under it, so even a short key sent by a
    /// client gives whoever reads the store nothing to guess offline.
    pub fn idempotency_secret(&self, key: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.idempotency_key)
            .expect("HMAC accepts keys of any length");
        mac.update(key.as_bytes());
        lapor_app::secrets::hex(&mac.finalize().into_bytes())
    }

    fn sign(&self, claims: &Claims) -> String {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.kid.clone());
        // HS256 signing of a small struct cannot fail; an empty token would be refused anyway.
        jsonwebtoken::encode(&header, claims, &self.encoding).unwrap_or_default()
    }

    /// A MAC of `data` for the web pages (HMAC-SHA256, hex), separated by `purpose` (a form
    /// token, a sealed cookie): what only this server can compute.
    pub fn web_mac(&self, purpose: &str, data: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.web_key).expect("HMAC accepts keys of any length");
        mac.update(purpose.as_bytes());
        mac.update(b":");
        mac.update(data.as_bytes());
        lapor_app::secrets::hex(&mac.finalize().into_bytes())
    }

    /// A token for a signed-in user.
    pub fn user_token(&self, signed_in: &SignedIn, now: OffsetDateTime) -> String {
        let user = &signed_in.user;
        self.sign(&Claims {
            sub: user.id.to_string(),
            kind: "user".into(),
            role: Some(user.role),
            name: Some(user.name.clone()),
            agency_path: signed_in
                .agency_path
                .as_ref()
                .map(|p| p.ids().iter().map(ToString::to_string).collect())
                .unwrap_or_default(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: issued(now),
            exp: (now + USER_TOKEN_TTL).unix_timestamp(),
        })
    }

    /// A token acting as the reporter of one report.
    pub fn report_token(&self, report: &ReportId, now: OffsetDateTime) -> String {
        self.sign(&Claims {
            sub: report.to_string(),
            kind: "report".into(),
            role: None,
            name: None,
            agency_path: Vec::new(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: issued(now),
            exp: (now + REPORT_TOKEN_TTL).unix_timestamp(),
        })
    }

    /// The actor a token stands for; `None` when it is invalid or expired.
    pub fn actor(&self, token: &str) -> Option<Actor> {
        self.bearer(token).map(|(actor, _)| actor)
    }

    /// The actor a token stands for, and when the token was issued.
    pub fn bearer(&self, token: &str) -> Option<(Actor, OffsetDateTime)> {
        let key = self.decoding_key(token)?;
        let claims = jsonwebtoken::decode::<Claims>(token, key, &self.validation)
            .ok()?
            .claims;
        let nanos = (claims.iat * 1e9) as i128;
        let issued_at = OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()?;
        Self::actor_of(claims).map(|actor| (actor, issued_at))
    }

    fn actor_of(claims: Claims) -> Option<Actor> {
        if claims.kind == "report" {
            return ReportId::parse(&claims.sub).ok().map(Actor::ReportHolder);
        }
        let person = Person {
            id: UserId::parse(&claims.sub).ok()?,
            name: claims.name.unwrap_or_default(),
        };
        let path = claims
            .agency_path
            .iter()
            .map(|id| AgencyId::parse(id))
            .collect::<Result<Vec<_>, _>>()
            .ok()
            .and_then(AgencyPath::from_ids);
        Actor::signed_in(person, claims.role?, path)
    }
}

/// The 401 answer to an `Authorization` header that is not `Bearer <token>`.
pub const NOT_BEARER: &str = "the Authorization header must be 'Bearer <token>'";
/// The 401 answer to a token that is not one of ours, has expired, or no longer matches its
/// account (deactivated, or given another role or agency since).
pub const BAD_TOKEN: &str = "the token is invalid or has expired; sign in again";
/// The 401 answer to a request without a token where one is needed.
pub const NO_TOKEN: &str = "this needs 'Authorization: Bearer <token>'";

/// The caller: the public when no token is sent; a bad token is refused with 401.
#[derive(Clone, Debug)]
pub struct Caller(pub Actor);

impl FromRequestParts<AppState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let Some((actor, issued_at)) = bearer(
            &state.tokens,
            parts
                .headers
                .get(header::AUTHORIZATION)
                .map(|v| v.as_bytes()),
        )?
        else {
            return Ok(Caller(Actor::Public));
        };
        // What the token says, as the account is now: a deactivated account's tokens, and
        // those of an old role or agency, or from before a password change, stop at once.
        match state.app.current(actor, issued_at).await {
            Ok(actor) => Ok(Caller(actor)),
            Err(lapor_app::AppError::Unauthenticated) => Err(Problem::unauthorized(BAD_TOKEN)),
            Err(other) => Err(other.into()),
        }
    }
}

/// The actor an `Authorization` header stands for: the public without one, the token's actor
/// with `Bearer <token>`, a 401 otherwise. Public so that it can be fuzzed without a request.
pub fn bearer_actor(tokens: &Tokens, authorization: Option<&[u8]>) -> Result<Actor, Problem> {
    Ok(bearer(tokens, authorization)?.map_or(Actor::Public, |(actor, _)| actor))
}

/// The actor of an `Authorization` header and when its token was issued; `None` without the
/// header.
fn bearer(
    tokens: &Tokens,
    authorization: Option<&[u8]>,
) -> Result<Option<(Actor, OffsetDateTime)>, Problem> {
    let Some(value) = authorization else {
        return Ok(None);
    };
    // As `HeaderValue::to_str`: visible ASCII and tabs only.
    let visible = value
        .iter()
        .all(|&b| b == b'\t' || (b' '..=b'~').contains(&b));
    let token = std::str::from_utf8(value)
        .ok()
        .filter(|_| visible)
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .ok_or_else(|| Problem::unauthorized(NOT_BEARER))?;
    tokens
        .bearer(token)
        .map(Some)
        .ok_or_else(|| Problem::unauthorized(BAD_TOKEN))
}

/// A caller that must be signed in (or hold a report's access token).
#[derive(Clone, Debug)]
pub struct SignedInCaller(pub Actor);

impl FromRequestParts<AppState> for SignedInCaller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        match Caller::from_request_parts(parts, state).await? {
            Caller(Actor::Public) => Err(Problem::unauthorized(NO_TOKEN)),
            Caller(actor) => Ok(SignedInCaller(actor)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn during_a_rotation_the_previous_keys_tokens_still_work() {
        let (old, new) = ([1; 32], [2; 32]);
        let now = OffsetDateTime::now_utc();
        let report = ReportId::parse("01ARZ3NDEKTSV4RRFFQ69G5FAV").unwrap();
        let before = Tokens::new(&old);
        let issued = before.report_token(&report, now);
        let rotating = Tokens::rotating(&new, Some(&old));
        assert!(
            rotating.actor(&issued).is_some(),
            "the previous key's token"
        );
        let fresh = rotating.report_token(&report, now);
        assert!(rotating.actor(&fresh).is_some());
        let header = jsonwebtoken::decode_header(&fresh).unwrap();
        assert_eq!(
            header.kid,
            Some(key_id(&new)),
            "signed with the current key"
        );
        // After the rotation, only the new key's.
        let after = Tokens::new(&new);
        assert!(after.actor(&issued).is_none());
        assert!(after.actor(&fresh).is_some());
        assert!(before.actor(&fresh).is_none());
        // A token of before keys had ids is the current key's.
        let legacy = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &jsonwebtoken::decode::<Claims>(
                &fresh,
                &DecodingKey::from_secret(&new),
                &after.validation,
            )
            .unwrap()
            .claims,
            &EncodingKey::from_secret(&new),
        )
        .unwrap();
        assert!(after.actor(&legacy).is_some());
        assert!(Tokens::rotating(&old, Some(&new)).actor(&legacy).is_none());
    }

    #[test]
    fn only_tokens_issued_by_lapor_for_its_api_are_accepted() {
        let tokens = Tokens::new(&[7; 32]);
        let now = OffsetDateTime::now_utc();
        let report = ReportId::parse("01ARZ3NDEKTSV4RRFFQ69G5FAV").unwrap();
        assert!(tokens.actor(&tokens.report_token(&report, now)).is_some());
        let claims = |iss: &str, aud: &str| Claims {
            sub: report.to_string(),
            kind: "report".into(),
            role: None,
            name: None,
            agency_path: Vec::new(),
            iss: iss.into(),
            aud: aud.into(),
            iat: issued(now),
            exp: (now + REPORT_TOKEN_TTL).unix_timestamp(),
        };
        assert!(
            tokens
                .actor(&tokens.sign(&claims(ISSUER, AUDIENCE)))
                .is_some()
        );
        assert!(
            tokens
                .actor(&tokens.sign(&claims("other", AUDIENCE)))
                .is_none()
        );
        assert!(
            tokens
                .actor(&tokens.sign(&claims(ISSUER, "other")))
                .is_none()
        );
    }
}
