//! The store contract on SQLite, each check on a fresh database file.

use lapor_embedded::Embedded;

async fn fresh() -> Embedded {
    // The directory lives as long as the test process; each store has its own.
    let dir = tempfile::tempdir().unwrap().keep();
    Embedded::open(&dir).unwrap()
}

lapor_app::store_contract!(fresh);
