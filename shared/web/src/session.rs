//! Who is looking: the session in the `lapor_sesi` cookie (an account, or a report's reporter
//! after `/lacak`), checked against the store on every request; and the form token every POST
//! carries, bound to the browser's `lapor_csrf` cookie, so that a page of another site cannot
//! post in the viewer's name.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use lapor_app::secrets::hex;
use lapor_app::sessions::SESSION_TTL;
use lapor_domain::Actor;
use lapor_http::AppState;

use crate::pages::Failure;

/// The cookie holding the session id.
const SESSION_COOKIE: &str = "lapor_sesi";
/// The cookie holding the browser's random value that form tokens are bound to.
const CSRF_COOKIE: &str = "lapor_csrf";
/// The form field carrying the form token.
pub const CSRF_FIELD: &str = "csrf";

/// A cookie's value from the request's `Cookie` headers.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

/// True when the browser reached us over https (API Gateway and any TLS proxy say so): then
/// cookies are `Secure`.
pub(crate) fn over_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .is_some_and(|proto| proto.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// A `Set-Cookie` value: `HttpOnly`, `SameSite=Lax`, for the whole site; `Secure` behind
/// https; `max_age` in seconds (`Some(0)` removes it, `None` lasts while the browser runs).
fn set_cookie(name: &str, value: &str, max_age: Option<i64>, https: bool) -> HeaderValue {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(seconds) = max_age {
        cookie += &format!("; Max-Age={seconds}");
    }
    if https {
        cookie += "; Secure";
    }
    HeaderValue::from_str(&cookie).expect("cookie values are hex")
}

/// The browser's random value for form tokens, found on the request or given to it.
#[derive(Clone)]
struct CsrfNonce(String);

/// Gives a browser that has none its `lapor_csrf` value (on the request, for the page's forms,
/// and in the answer, for the browser to send back).
pub async fn ensure_nonce(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(nonce) = cookie(request.headers(), CSRF_COOKIE) {
        let nonce = CsrfNonce(nonce.to_string());
        request.extensions_mut().insert(nonce);
        return next.run(request).await;
    }
    let nonce = hex(&state.app.ids.secret(16));
    let https = over_https(request.headers());
    request.extensions_mut().insert(CsrfNonce(nonce.clone()));
    let mut response = next.run(request).await;
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(CSRF_COOKIE, &nonce, None, https),
    );
    response
}

/// Who is looking, and what their forms must carry.
#[derive(Clone, Debug)]
pub struct Visitor {
    /// The public, a signed-in account, or a report's reporter.
    pub actor: Actor,
    /// The form token of this browser.
    pub csrf: String,
    /// The session id, while a session is open.
    session_id: Option<String>,
    https: bool,
}

impl Visitor {
    /// The public, with no form token: for pages shown whoever asked (a failure).
    pub fn anonymous() -> Self {
        Self {
            actor: Actor::Public,
            csrf: String::new(),
            session_id: None,
            https: false,
        }
    }

    /// Checks a posted form token: a forged or stale one changes nothing.
    pub fn check_csrf(&self, sent: Option<&str>) -> Result<(), Failure> {
        use subtle::ConstantTimeEq as _;
        let matches =
            sent.is_some_and(|sent| bool::from(sent.as_bytes().ct_eq(self.csrf.as_bytes())));
        if matches {
            Ok(())
        } else {
            Err(Failure::Forged)
        }
    }

    /// The signed-in person's name, for the header.
    pub fn name(&self) -> Option<&str> {
        self.actor.person().map(|p| p.name.as_str())
    }

    /// The cookie that opens a new session (replacing any other: a new id at every sign-in).
    pub fn open(&self, session_id: &str) -> (header::HeaderName, HeaderValue) {
        (
            header::SET_COOKIE,
            set_cookie(
                SESSION_COOKIE,
                session_id,
                Some(SESSION_TTL.whole_seconds()),
                self.https,
            ),
        )
    }

    /// The cookie that removes the session from the browser.
    pub fn close(&self) -> (header::HeaderName, HeaderValue) {
        (
            header::SET_COOKIE,
            set_cookie(SESSION_COOKIE, "", Some(0), self.https),
        )
    }

    /// The session id, while one is open.
    pub fn session_id(&self) -> Option<&str> {
        self.session_id.as_deref()
    }
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Failure> {
        let nonce = parts
            .extensions
            .get::<CsrfNonce>()
            .map(|n| n.0.clone())
            .unwrap_or_default();
        let session_id = cookie(&parts.headers, SESSION_COOKIE).map(str::to_string);
        let actor = match &session_id {
            Some(id) => state.app.session_actor(id).await?,
            None => None,
        };
        Ok(Self {
            // A session that ended is no session.
            session_id: actor.as_ref().and(session_id),
            actor: actor.unwrap_or(Actor::Public),
            csrf: state.tokens.web_mac("csrf", &nonce),
            https: over_https(&parts.headers),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; lapor_sesi=abc"),
        );
        headers.append(header::COOKIE, HeaderValue::from_static("lapor_csrf="));
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, CSRF_COOKIE), None);
        assert_eq!(cookie(&headers, "b"), None);
    }

    #[test]
    fn cookies_are_secure_behind_https_only() {
        let plain = set_cookie("x", "1", Some(60), false);
        assert_eq!(plain, "x=1; Path=/; HttpOnly; SameSite=Lax; Max-Age=60");
        let secure = set_cookie("x", "", Some(0), true);
        assert_eq!(
            secure,
            "x=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure"
        );
    }
}
