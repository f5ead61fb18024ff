use super::migrate::anyhow_like::Result;
use crate::{config::Config, jobs, router};
use app::db::Db;
use std::net::SocketAddr;

/// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn run(config: &Config, db: Db) -> Result<()> {
    let mailer = crate::mail::Mailer::from_config(config)?;
    let (app, store) = router::build(config, db.clone()).await?;
    jobs::spawn(
        db.clone(),
        store,
        mailer,
        std::sync::Arc::from(config.public_url.as_str()),
        config.renewal,
    );
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.bind))?;
    tracing::info!(
        "CIT Academy is serving at http://{}",
        listener.local_addr()?
    );
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
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
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
