use app::{db, domain::catalog::seed_courses};

/// Loads the catalog; returns how many courses were new.
pub async fn run(db: &db::Db) -> Result<usize, sqlx::Error> {
    let created = db::courses::upsert_seed(db, &seed_courses(), chrono::Utc::now()).await?;
    tracing::info!(created, "catalog loaded");
    Ok(created)
}

/// Loads the catalog only into an empty database, so that a restart never overwrites what
/// administrators changed.
pub async fn if_empty(db: &db::Db) -> Result<(), sqlx::Error> {
    if db::courses::list(db).await?.is_empty() {
        run(db).await?;
    }
    Ok(())
}
