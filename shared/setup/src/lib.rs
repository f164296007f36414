//! Builds lapor from its configuration: the chosen backend assembled once ([`assemble`]), the
//! use cases on it and the token keys. `lapor-local` and every Lambda function start the same
//! way, through [`build`]; the scheduled jobs through [`build_app`].

mod aws;
pub mod dev;
#[cfg(feature = "embedded")]
mod embedded;
pub mod secret;
pub mod webhooks;

/// The configuration, in its own crate (lapor-config) so that what only reads it builds without
/// the AWS SDK; named here as before.
pub use lapor_config as config;

use std::sync::Arc;

use lapor_app::notifications::{Delivery, NoWebhooks, Webhooks};
use lapor_app::{App, BlobStore, EventBus, RandomIds, Store, SystemClock};
use lapor_domain::Calendar;
use lapor_http::{AppState, Tokens};

pub use config::{
    AwsResources, Backend, Config, ConnectionLimits, Queue, SecretSource, WebhookChannel,
};

/// Builds the app on the configured backend, with its token keys. The keys are fetched
/// (Secrets Manager, on AWS) while the backend's clients are built: a cold start waits for the
/// slower of the two, not for both.
pub async fn build(config: &Config) -> anyhow::Result<AppState> {
    let (assembly, secrets) = tokio::join!(assemble(config), token_secrets(config));
    state(config, assembly?, secrets?).await
}

/// The use cases alone, on the configured backend: what the scheduled jobs need. No token
/// secret is read (a job signs nothing) and no account is made.
pub async fn build_app(config: &Config) -> anyhow::Result<App> {
    app(config, assemble(config).await?)
}

/// A backend assembled: one store behind every store port, and what the app needs beside it.
pub struct Assembly {
    /// Every kind of record.
    pub store: Arc<dyn Store>,
    /// Where attachment blobs are kept.
    pub blobs: Arc<dyn BlobStore>,
    /// How the outbox relay reaches the notifier.
    pub delivery: Delivery,
    /// Where integration events go.
    pub events: Arc<dyn EventBus>,
}

/// Assembles the configured backend: the one place the backends are told apart.
pub async fn assemble(config: &Config) -> anyhow::Result<Assembly> {
    match &config.backend {
        #[cfg(feature = "embedded")]
        Backend::Embedded => embedded::assemble(config),
        #[cfg(not(feature = "embedded"))]
        Backend::Embedded => {
            anyhow::bail!("this build has no embedded backend: set LAPOR_BACKEND=aws")
        }
        Backend::Aws(resources) => aws::assemble(resources).await,
    }
}

/// The standard AWS environment (`AWS_REGION`, `AWS_ENDPOINT_URL`, credentials), with lapor's
/// timeouts ([`lapor_aws::timeouts`]), read once per process: every SDK client built from it shares one credentials chain and one HTTPS client,
/// which a cold start then sets up once.
pub async fn aws_environment() -> &'static aws_config::SdkConfig {
    static ENVIRONMENT: tokio::sync::OnceCell<aws_config::SdkConfig> =
        tokio::sync::OnceCell::const_new();
    ENVIRONMENT
        .get_or_init(|| {
            aws_config::defaults(aws_config::BehaviorVersion::latest())
                .timeout_config(lapor_aws::timeouts())
                .load()
        })
        .await
}

/// The configured webhook channels.
fn webhooks(config: &Config) -> anyhow::Result<Arc<dyn Webhooks>> {
    if config.webhooks.is_empty() {
        return Ok(Arc::new(NoWebhooks));
    }
    Ok(Arc::new(webhooks::HttpWebhooks::new(
        config.webhooks.clone(),
    )?))
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

/// The use cases on an assembled backend.
pub fn app(config: &Config, assembly: Assembly) -> anyhow::Result<App> {
    let Assembly {
        store,
        blobs,
        delivery,
        events,
    } = assembly;
    Ok(App {
        reports: store.clone(),
        access_codes: store.clone(),
        idempotency: store.clone(),
        lists: store.clone(),
        outbox: store.clone(),
        agenda: store.clone(),
        accounts: store.clone(),
        agencies: store.clone(),
        categories: store.clone(),
        sessions: store.clone(),
        throttle: store.clone(),
        attachments: store.clone(),
        notifications: store,
        blobs,
        delivery,
        events,
        webhooks: webhooks(config)?,
        clock: Arc::new(SystemClock),
        ids: Arc::new(RandomIds),
        calendar: Arc::new(calendar(config)?),
    })
}

/// Builds the app on an assembled backend, with its token keys, the bootstrap admin and (in
/// development) the seeded world.
pub async fn build_on(config: &Config, assembly: Assembly) -> anyhow::Result<AppState> {
    state(config, assembly, token_secrets(config).await?).await
}

/// The token keys of the configuration.
async fn token_secrets(config: &Config) -> anyhow::Result<secret::TokenSecrets> {
    secret::load(
        &config.jwt_secret,
        config.jwt_previous_secret.as_deref(),
        &config.data_dir,
    )
    .await
}

/// The app on `assembly`, with its keys, the bootstrap admin and the development world.
async fn state(
    config: &Config,
    assembly: Assembly,
    secrets: secret::TokenSecrets,
) -> anyhow::Result<AppState> {
    let app = app(config, assembly)?;
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
        tokens: Arc::new(Tokens::rotating(
            &secrets.current,
            secrets.previous.as_deref(),
        )),
        public_url: config.public_url.clone(),
        cors_origins: config.cors_origins.clone(),
        trusted_proxies: config.trusted_proxies.clone(),
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
