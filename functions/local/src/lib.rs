//! `lapor-local`: the whole API on the embedded backend (one SQLite file and a folder), for
//! local development and single-machine deployments; or on the AWS backend
//! (`LAPOR_BACKEND=aws`), against DynamoDB or an emulator of it.

pub mod config;
pub mod secret;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use lapor_app::{
    AccountStore, AgencyStore, App, RandomIds, ReportStore, SystemClock, ThrottleStore,
};
use lapor_aws::Dynamo;
use lapor_domain::Calendar;
use lapor_embedded::Embedded;
use lapor_http::{AppState, Tokens};
use tokio::net::TcpListener;

pub use config::{Backend, Config};

/// Builds the app on the configured backend.
pub async fn build(config: &Config) -> anyhow::Result<AppState> {
    match &config.backend {
        Backend::Embedded => {
            let store = Embedded::open(&config.data_dir).with_context(|| {
                format!(
                    "cannot open the data directory {}",
                    config.data_dir.display()
                )
            })?;
            build_on(config, Arc::new(store)).await
        }
        Backend::Aws {
            table,
            create_resources,
        } => {
            let store = Dynamo::from_env(table.clone()).await;
            if *create_resources {
                store.create_table_if_missing().await?;
            }
            build_on(config, Arc::new(store)).await
        }
    }
}

/// Builds the app on `store`, which holds every kind of record.
pub async fn build_on<S>(config: &Config, store: Arc<S>) -> anyhow::Result<AppState>
where
    S: ReportStore + AccountStore + AgencyStore + ThrottleStore + 'static,
{
    let secret = match &config.jwt_secret {
        Some(secret) => secret.clone(),
        None => secret::load_or_create(&config.data_dir)?,
    };
    let app = App {
        reports: store.clone(),
        accounts: store.clone(),
        agencies: store.clone(),
        throttle: store,
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
    Ok(AppState {
        app,
        tokens: Arc::new(Tokens::new(&secret)),
    })
}

/// Serves the whole API on `listener` until `shutdown` completes, then finishes the requests
/// in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = lapor_http::full_router(state);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Reads the configuration from the environment, then serves until Ctrl-C or SIGTERM.
pub async fn run() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=warn".into()),
        )
        .init();
    let config = Config::from_env()?;
    let state = build(&config).await?;
    let listener = TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.addr))?;
    tracing::info!(
        addr = %listener.local_addr()?,
        data_dir = %config.data_dir.display(),
        "lapor-local is serving"
    );
    serve(listener, state, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
