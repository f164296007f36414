//! Access tokens: the `Authorization` header as the routes read it, and the JWT in it. The
//! input is tried twice: as the header a client sends, and as the claims of a token signed with
//! the server's own key (HS256, as lapor signs), so that the claims' reading is reached too.
//! Besides never panicking:
//! - no header is the public; a header that is not `Bearer <token>`, or a token not signed with
//!   the key, is a 401, never an actor;
//! - the actor a signed token names, issued again by lapor for the same account or report,
//!   is the same actor (nothing of it is lost or changed on the way through a token).

#![no_main]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use lapor_app::accounts::SignedIn;
use lapor_app::ports::User;
use lapor_domain::{Actor, Role};
use lapor_http::Tokens;
use lapor_http::auth::bearer_actor;
use libfuzzer_sys::fuzz_target;
use sha2::Sha256;
use std::sync::LazyLock;
use time::OffsetDateTime;

const SECRET: &[u8] = b"a fuzzing secret of thirty-two bytes";
static TOKENS: LazyLock<Tokens> = LazyLock::new(|| Tokens::new(SECRET));

fuzz_target!(|data: &[u8]| {
    assert_eq!(bearer_actor(&TOKENS, None).ok(), Some(Actor::Public));
    match bearer_actor(&TOKENS, Some(data)) {
        Ok(actor) => {
            // Only a token signed with the key gets through (a seed holds one).
            assert_ne!(actor, Actor::Public);
            reissued(&actor);
        }
        Err(problem) => assert_eq!(problem.status, 401),
    }

    let token = sign(data);
    let header = format!("Bearer {token}");
    match bearer_actor(&TOKENS, Some(header.as_bytes())) {
        Ok(actor) => {
            assert_ne!(actor, Actor::Public);
            assert_eq!(TOKENS.actor(&token).as_ref(), Some(&actor));
            reissued(&actor);
        }
        Err(problem) => assert_eq!(problem.status, 401),
    }
});

/// A JWT of `claims` (the input's bytes, as they are) signed HS256 with the server's key.
fn sign(claims: &[u8]) -> String {
    let head = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let body = URL_SAFE_NO_PAD.encode(claims);
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET).expect("HMAC takes any key");
    mac.update(format!("{head}.{body}").as_bytes());
    let tag = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{head}.{body}.{tag}")
}

/// The token lapor itself issues for the same actor names that actor.
fn reissued(actor: &Actor) {
    let now = OffsetDateTime::now_utc();
    let token = match actor {
        Actor::ReportHolder(report) => TOKENS.report_token(report, now),
        Actor::Citizen(person)
        | Actor::NationalAdmin(person)
        | Actor::AgencyAdmin(person, _)
        | Actor::LiaisonOfficer(person, _) => {
            let role = match actor {
                Actor::Citizen(_) => Role::Citizen,
                Actor::NationalAdmin(_) => Role::NationalAdmin,
                Actor::AgencyAdmin(..) => Role::AgencyAdmin,
                _ => Role::LiaisonOfficer,
            };
            let signed_in = SignedIn {
                user: User {
                    id: person.id.clone(),
                    name: person.name.clone(),
                    email: None,
                    phone: None,
                    password_hash: String::new(),
                    role,
                    agency_id: actor.agency_id().cloned(),
                    created_at: now,
                    active: true,
                    version: 1,
                    signed_out_at: None,
                    email_confirmed: true,
                    phone_confirmed: true,
                    codes: Vec::new(),
                },
                agency_path: actor.agency().cloned(),
            };
            TOKENS.user_token(&signed_in, now)
        }
        Actor::Public | Actor::System => panic!("a token named {actor:?}"),
    };
    assert_eq!(TOKENS.actor(&token).as_ref(), Some(actor), "{token}");
}
