//! Builds lapor from its configuration: the stores of the chosen backend, the use cases and the
//! token keys. `lapor-local` and every Lambda function start the same way, through [`build`].

pub mod config;
pub mod dev;
pub mod secret;

use std::sync::Arc;

use lapor_app::{
    AccountStore, AgencyStore, App, AttachmentStore, BlobStore, RandomIds, ReportStore,
    SystemClock, ThrottleStore,
};
use lapor_aws::{Dynamo, S3Blobs};
use lapor_domain::Calendar;
use lapor_http::{AppState, Tokens};

pub use config::{Backend, Config, SecretSource};

/// Builds the app on the configured backend.
pub async fn build(config: &Config) -> anyhow::Result<AppState> {
    match &config.backend {
        Backend::Embedded => build_embedded(config).await,
        Backend::Aws {
            table,
            bucket,
            create_resources,
        } => {
            let environment = aws_environment().await;
            let store = Dynamo::from_config(environment, table.clone());
            let blobs = S3Blobs::from_config(environment, bucket.clone());
            if *create_resources {
                store.create_table_if_missing().await?;
                blobs.create_bucket_if_missing().await?;
            }
            build_on(config, Arc::new(store), Blobs::Store(Arc::new(blobs))).await
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
    build_on(config, Arc::new(store), Blobs::Folder).await
}

#[cfg(not(feature = "embedded"))]
async fn build_embedded(_: &Config) -> anyhow::Result<AppState> {
    anyhow::bail!("this build has no embedded backend: set LAPOR_BACKEND=aws")
}

/// Where attachment blobs are kept.
pub enum Blobs {
    /// In the data directory, their URLs served and signed by this API (the embedded backend).
    Folder,
    /// In this store (S3).
    Store(Arc<dyn BlobStore>),
}

/// The folder of blobs in the data directory, its URLs signed with a key from `secret`.
#[cfg(feature = "embedded")]
fn blob_folder(config: &Config, secret: &[u8]) -> anyhow::Result<Arc<dyn BlobStore>> {
    use anyhow::Context as _;
    let folder = lapor_embedded::FolderBlobs::open(&config.data_dir, secret)
        .with_context(|| format!("cannot use {} for attachments", config.data_dir.display()))?;
    Ok(Arc::new(folder))
}

#[cfg(not(feature = "embedded"))]
fn blob_folder(_: &Config, _: &[u8]) -> anyhow::Result<Arc<dyn BlobStore>> {
    anyhow::bail!("this build keeps no attachments in a folder: set LAPOR_BACKEND=aws")
}

/// Builds the app on `store`, which holds every kind of record, with `blobs` for attachments.
pub async fn build_on<S>(config: &Config, store: Arc<S>, blobs: Blobs) -> anyhow::Result<AppState>
where
    S: ReportStore + AccountStore + AgencyStore + ThrottleStore + AttachmentStore + 'static,
{
    let secret = secret::load(&config.jwt_secret, &config.data_dir).await?;
    let blobs = match blobs {
        Blobs::Folder => blob_folder(config, &secret)?,
        Blobs::Store(store) => store,
    };
    let app = App {
        reports: store.clone(),
        accounts: store.clone(),
        agencies: store.clone(),
        throttle: store.clone(),
        attachments: store,
        blobs,
        clock: Arc::new(SystemClock),
        ids: Arc::new(RandomIds),
        calendar: Arc::new(Calendar::indonesia()),
    };
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
        public_url: config.public_url.clone(),
    })
}
