//! The audit log: who changed what, when, and the values before and after.

/// Inserts one audit entry; bind actor id, action, entity, entity id, before, after, at.
pub(crate) const INSERT: &str =
    "INSERT INTO audit_log (actor_id, action, entity, entity_id, before_value, after_value, at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// Records one audit entry inside the write transaction `$tx`, so that the entry exists
/// exactly when the change does: actor, action, entity, entity id, before, after, at.
macro_rules! record {
    ($tx:expr, $actor:expr, $action:expr, $entity:expr, $id:expr, $before:expr, $after:expr, $now:expr) => {
        sqlx::query($crate::db::audit::INSERT)
            .bind($actor)
            .bind($action)
            .bind($entity)
            .bind($id)
            .bind($before)
            .bind($after)
            .bind($now)
            .execute(&mut *$tx)
            .await?
    };
}
pub(crate) use record;
