//! The invitation to evaluate a class that has just ended, sent once per confirmed seat.

use crate::{
    db::{
        on_db,
        outbox::{self, NewMessage},
        Db,
    },
    domain::evaluation::{invitation_mail, invite_since, KIND_INVITATION},
};
use chrono::{DateTime, Utc};
use tracing::instrument;

/// A confirmed seat whose invitation is due: (registration, email, name, course title).
type Due = (i64, String, String, String);

/// Invites everyone with a confirmed seat in a class whose last session ended by `now` (and
/// within `domain::evaluation::INVITE_WITHIN_DAYS`) to evaluate it, once: the invitation's key
/// and its message commit together, and a key already there (another run, another server)
/// means it was sent. People who already sent their evaluation are not asked. `site` is the
/// public address the link starts with. Returns how many this call sent.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn send_invitations(
    db: &Db,
    site: &str,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    let sql = "SELECT r.id, u.email, u.name, c.title FROM registrations r \
               JOIN users u ON u.id = r.user_id JOIN offerings o ON o.id = r.offering_id JOIN courses c ON c.id = o.course_id \
               JOIN (SELECT offering_id, MAX(ends_at) AS last_end FROM meetings GROUP BY offering_id) e ON e.offering_id = o.id \
               WHERE r.status = 'confirmed' AND o.status <> 'cancelled' AND e.last_end <= $1 AND e.last_end > $2 \
               AND NOT EXISTS (SELECT 1 FROM evaluation_invitations i WHERE i.registration_id = r.id) \
               AND NOT EXISTS (SELECT 1 FROM evaluations v WHERE v.registration_id = r.id) \
               ORDER BY r.id LIMIT 500";
    let due: Vec<Due> = on_db!(db, pool => sqlx::query_as(sql).bind(now).bind(invite_since(now)).fetch_all(pool).await)?;
    let mut sent = 0;
    for (registration_id, email, name, course) in due {
        let link = format!(
            "{}/registrations/{registration_id}/evaluation",
            site.trim_end_matches('/')
        );
        let (subject, body) = invitation_mail(&name, &course, &link);
        let message = NewMessage {
            to: &email,
            subject: &subject,
            body_text: &body,
            attachments: &[],
            kind: KIND_INVITATION,
            secret_link: None,
        };
        let claimed = outbox::enqueue_once!(
            db,
            sqlx::query(
                "INSERT INTO evaluation_invitations (registration_id, sent_at) VALUES ($1, $2) \
                 ON CONFLICT (registration_id) DO NOTHING",
            )
            .bind(registration_id)
            .bind(now),
            &message,
            now
        );
        sent += usize::from(claimed);
    }
    Ok(sent)
}
