use app::db::{self, Db};

/// Opens the configured database and brings its schema up to date.
pub async fn open_migrated(database_url: &str) -> anyhow_like::Result<Db> {
    let db = db::connect(database_url).await?;
    db::migrate(&db).await?;
    tracing::info!(backend = db.backend(), "database ready");
    Ok(db)
}

/// A boxed error for commands: they only report and exit.
pub mod anyhow_like {
    pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;
}
