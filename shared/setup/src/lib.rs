//! Builds lapor from its configuration: the stores of the chosen backend, the use cases and the
//! token keys. `lapor-local` and every Lambda function start the same way, through [`build`].

pub mod config;
pub mod dev;
pub mod secret;

use std::sync::Arc;

use lapor_app::{
    AccountStore, AgencyStore, App, RandomIds, ReportStore, SystemClock, ThrottleStore,
};
use lapor_aws::Dynamo;
use lapor_domain::Calendar;
use lapor_http::{AppState, Tokens};

pub use config::{Backend, Config, SecretSource};

/// Builds the app on the configured backend.
pub async fn build(config: &Config) -> anyhow::Result<AppState> {
    match &config.backend {
        Backend::Embedded => build_embedded(config).await,
        Backend::Aws {
            table,
            create_resources,
        } => {
            let store = Dynamo::from_config(aws_environment().await, table.clone());
            if *create_resources {
                store.create_table_if_missing().await?;
            }
            build_on(config, Arc::new(store)).await
        }
    }
}

/// The standard AWS environment (`AWS_REGION`, `AWS_ENDPOINT_URL`, credentials), read once per
/// process: every SDK client built from it shares one credentials chain and one HTTPS client,
/// which a cold start then sets up once.
pub async fn aws_environment() -> &'static aws_config::SdkConfig {
    static ENVIRONMENT: tokio::sync::OnceCell<aws_config::SdkConfig> =
        tokio::sync::OnceCell::const_new();
    ENVIRONMENT
        .get_or_init(|| aws_config::defaults(aws_config::BehaviorVersion::latest()).load())
        .await
}

/// Builds the app on the SQLite file of the data directory.
#[cfg(feature = "embedded")]
async fn build_embedded(config: &Config) -> anyhow::Result<AppState> {
    use anyhow::Context as _;
    let store = lapor_embedded::Embedded::open(&config.data_dir).with_context(|| {
        format!(
            "cannot open the data directory {}",
            config.data_dir.display()
        )
    })?;
    build_on(config, Arc::new(store)).await
}

#[cfg(not(feature = "embedded"))]
async fn build_embedded(_: &Config) -> anyhow::Result<AppState> {
    anyhow::bail!("this build has no embedded backend: set LAPOR_BACKEND=aws")
}

/// The working-day calendar: the operators' file when one is configured, else the built-in one.
/// A file that cannot be read stops the start: deadlines must not silently fall back to
/// another calendar.
pub fn calendar(config: &Config) -> anyhow::Result<Calendar> {
    use anyhow::Context as _;
    let Some(path) = &config.calendar_file else {
        return Ok(Calendar::indonesia());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read LAPOR_CALENDAR_FILE {}", path.display()))?;
    let calendar = Calendar::from_json(&text)
        .map_err(|e| anyhow::anyhow!("LAPOR_CALENDAR_FILE {}: {e}", path.display()))?;
    tracing::info!(
        file = %path.display(),
        days_off = calendar.days_off(),
        "using the operators' holiday calendar"
    );
    Ok(calendar)
}

/// The use cases on `store`, which holds every kind of record.
fn app_on<S>(config: &Config, store: Arc<S>) -> anyhow::Result<App>
where
    S: ReportStore + AccountStore + AgencyStore + ThrottleStore + 'static,
{
    Ok(App {
        reports: store.clone(),
        accounts: store.clone(),
        agencies: store.clone(),
        throttle: store,
        clock: Arc::new(SystemClock),
        ids: Arc::new(RandomIds),
        calendar: Arc::new(calendar(config)?),
    })
}

/// The use cases alone, on the configured backend: what the scheduled jobs need. No token
/// secret is read (a job signs nothing) and no account is made.
pub async fn build_app(config: &Config) -> anyhow::Result<App> {
    match &config.backend {
        Backend::Embedded => app_embedded(config),
        Backend::Aws {
            table,
            create_resources,
        } => {
            let store = Dynamo::from_config(aws_environment().await, table.clone());
            if *create_resources {
                store.create_table_if_missing().await?;
            }
            app_on(config, Arc::new(store))
        }
    }
}

#[cfg(feature = "embedded")]
fn app_embedded(config: &Config) -> anyhow::Result<App> {
    use anyhow::Context as _;
    let store = lapor_embedded::Embedded::open(&config.data_dir).with_context(|| {
        format!(
            "cannot open the data directory {}",
            config.data_dir.display()
        )
    })?;
    app_on(config, Arc::new(store))
}

#[cfg(not(feature = "embedded"))]
fn app_embedded(_: &Config) -> anyhow::Result<App> {
    anyhow::bail!("this build has no embedded backend: set LAPOR_BACKEND=aws")
}

/// Builds the app on `store`, which holds every kind of record.
pub async fn build_on<S>(config: &Config, store: Arc<S>) -> anyhow::Result<AppState>
where
    S: ReportStore + AccountStore + AgencyStore + ThrottleStore + 'static,
{
    let secret = secret::load(&config.jwt_secret, &config.data_dir).await?;
    let app = app_on(config, store)?;
    if let Some((email, password)) = &config.bootstrap_admin
        && app.bootstrap_admin(email.clone(), password.clone()).await?
    {
        tracing::info!(
            email = email.as_str(),
            "created the bootstrap national admin"
        );
    }
    if config.dev_seed && dev::seed(&app).await? {
        tracing::warn!("seeded the development agencies and accounts (public passwords)");
    }
    Ok(AppState {
        app,
        tokens: Arc::new(Tokens::new(&secret)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_calendar_file(path: &std::path::Path) -> Config {
        let path = path.display().to_string();
        Config::from_lookup(|name| (name == "LAPOR_CALENDAR_FILE").then(|| path.clone())).unwrap()
    }

    #[test]
    fn an_operators_calendar_file_replaces_the_built_in_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hari-libur.json");
        std::fs::write(
            &path,
            r#"{"days": [{"date": "2026-11-24", "kind": "holiday", "name": "Libur tambahan"}]}"#,
        )
        .unwrap();
        let date = |m, d| time::Date::from_calendar_date(2026, m, d).unwrap();
        let built_in = calendar(&Config::from_lookup(|_| None).unwrap()).unwrap();
        assert!(built_in.is_working_day(date(time::Month::November, 24)));
        assert!(!built_in.is_working_day(date(time::Month::March, 20)));

        let file = calendar(&with_calendar_file(&path)).unwrap();
        assert!(!file.is_working_day(date(time::Month::November, 24)));
        assert!(
            file.is_working_day(date(time::Month::March, 20)),
            "only the file's days are off"
        );

        std::fs::write(&path, "{ rusak").unwrap();
        assert!(calendar(&with_calendar_file(&path)).is_err());
        assert!(calendar(&with_calendar_file(&dir.path().join("tidak-ada.json"))).is_err());
    }
}
