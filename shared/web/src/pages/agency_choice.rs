//! `Instansi tujuan`: the agency a reporter addresses, found by its name. Never a list of every
//! agency: with the script the field suggests names as they are typed; without it (or when the
//! name typed is not one agency's) the form comes back listing the agencies that match, to pick
//! one and send again.

use lapor_http::AppState;

use super::Failure;
use crate::form::Sent;

/// How many matches the form lists.
const MATCHES: usize = 20;

/// An agency that matches the name typed.
pub struct Match {
    pub id: String,
    pub name: String,
}

/// What the reporter chose.
pub enum Choice {
    /// No agency: the national admins verify the report and dispose it.
    Nobody,
    /// This agency's id, picked or named exactly.
    Chosen(String),
    /// The agencies whose name holds the words typed, to pick from.
    Matches(Vec<Match>),
    /// No agency's name holds the words typed.
    NoMatch,
}

/// The agency chosen on the form: `instansi_id` (a picked match, or the script's suggestion),
/// else the name typed in `instansi` if it is exactly one agency's.
pub async fn choose(state: &AppState, sent: &Sent) -> Result<Choice, Failure> {
    if let Some(id) = sent.get("instansi_id") {
        return Ok(Choice::Chosen(id.to_string()));
    }
    let Some(typed) = sent.get("instansi") else {
        return Ok(Choice::Nobody);
    };
    let words = lapor_app::index::search_words(typed);
    let found = state.app.search_agencies(&words, MATCHES).await?;
    let exact: Vec<_> = found
        .iter()
        .filter(|a| a.name.as_str().to_lowercase() == typed.to_lowercase())
        .collect();
    Ok(match (exact.as_slice(), found.is_empty()) {
        ([only], _) => Choice::Chosen(only.id.to_string()),
        (_, true) => Choice::NoMatch,
        _ => Choice::Matches(
            found
                .iter()
                .map(|a| Match {
                    id: a.id.to_string(),
                    name: a.name.as_str().to_string(),
                })
                .collect(),
        ),
    })
}
