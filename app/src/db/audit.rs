//! The audit log: who changed what, when, and the values before and after.

/// Inserts one audit entry; bind actor id, action, entity, entity id, before, after, at.
pub(crate) const INSERT: &str =
    "INSERT INTO audit_log (actor_id, action, entity, entity_id, before_value, after_value, at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";
