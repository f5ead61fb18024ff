//! Announcing new certificates: the message with the PDF attached, stored in the outbox once
//! per certificate. The PDF is rendered before the write transaction, so the transaction that
//! issued the certificate (an attempt's finish, a grade) never waits for it.

use crate::certificate_download::{filename, pdf_of, verify_url};
use app::{
    db::{
        certificates,
        outbox::{Attachment, NewMessage},
        Db,
    },
    domain::certificate::{issued_mail, KIND_CERTIFICATE_ISSUED},
};
use base64::Engine;
use chrono::{DateTime, Utc};

/// How many certificates one run announces at most.
const BATCH: i64 = 50;

/// Stores the announcement of every certificate that has none yet. Safe with several servers
/// (see `certificates::announce`). Returns how many this call stored.
pub async fn announce_new(
    db: &Db,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    let mut stored = 0;
    for (c, email) in certificates::unannounced(db, BATCH).await? {
        let pdf = match pdf_of(&c, public_url).await {
            Ok(pdf) => pdf,
            Err(e) => {
                // Leave it unannounced: the next run tries again.
                tracing::error!(error = %e, certificate_id = c.id, "certificate pdf for the announcement failed");
                continue;
            }
        };
        let attachment = Attachment {
            filename: filename(&c),
            content_type: "application/pdf".to_owned(),
            content_base64: base64::engine::general_purpose::STANDARD.encode(pdf),
        };
        let site = public_url.trim_end_matches('/');
        let (subject, body) = issued_mail(
            &c.holder_name,
            c.kind().credential(),
            &c.number,
            &format!("{site}/certificates"),
            &verify_url(public_url, &c.verification_code),
        );
        let message = NewMessage {
            to: &email,
            subject: &subject,
            body_text: &body,
            attachments: std::slice::from_ref(&attachment),
            kind: KIND_CERTIFICATE_ISSUED,
            secret_link: None,
        };
        if certificates::announce(db, c.id, c.reissues, &message, now).await? {
            stored += 1;
        }
    }
    Ok(stored)
}
