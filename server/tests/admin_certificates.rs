//! Administrators and certificates, on both databases: the list filtered by status and
//! expiry, the CSV, revoking (a reason required; audited; refused to anyone else) and
//! reissuing under a new name (same number; audited; the new PDF sent).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::{domain::certificate::KIND_CERTIFICATE_ISSUED, error::AppError};
use chrono::Utc;
use common::{
    exam::{eligible, objective_bank, take_test},
    TestApp, PASSWORD,
};
use reqwest::StatusCode;

on_both_databases!(administrators_list_revoke_and_reissue_certificates);

const NAME: &str = "Avery Lindqvist";
const EMAIL: &str = "avery@metro911.gov";

async fn administrators_list_revoke_and_reissue_certificates(app: &TestApp) {
    objective_bank(app).await;
    let (holder, registration) = eligible(app, NAME, EMAIL).await;
    take_test(app, &holder, registration, "0").await;
    let (id, number): (i64, String) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT id, number FROM certificates").fetch_one(pool).await.unwrap());
    let (admin, _) = app.sign_in("registrar@cit.org", PASSWORD).await;

    // The list, and its filters.
    let (status, _, page) = app.get(&admin, "/admin/certificates").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&number) && page.contains(NAME) && page.contains(EMAIL),
        "{page}"
    );
    let (_, _, page) = app.get(&admin, "/admin/certificates?status=revoked").await;
    assert!(!page.contains(&number), "a filter that should hide it");
    assert!(page.contains("No certificate matches."));
    let (_, _, page) = app
        .get(
            &admin,
            "/admin/certificates?status=active&expires_before=2100-01-01",
        )
        .await;
    assert!(page.contains(&number));
    let (_, _, page) = app
        .get(&admin, "/admin/certificates?expires_before=2027-01-01")
        .await;
    assert!(!page.contains(&number), "it runs three years");
    let (status, _, page) = app
        .get(&admin, "/admin/certificates?expires_before=next-year")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Enter a date as YYYY-MM-DD."), "{page}");

    // The CSV, for administrators only.
    let csv = admin
        .get(app.url("/admin/certificates.csv?status=active"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = csv.text().await.unwrap();
    assert!(
        csv.starts_with("Number,Name,Email,Credential,Course,Issued,Valid through,Status,Revoked")
    );
    assert!(
        csv.contains(&number) && csv.contains(EMAIL) && csv.contains(",Active,"),
        "{csv}"
    );
    assert_eq!(
        holder
            .get(app.url("/admin/certificates.csv"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let (status, _, _) = app.get(&holder, "/admin/certificates").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Only administrators revoke or reissue; nothing changes otherwise.
    let done = app
        .submit(
            &holder,
            &format!("/admin/certificates/{id}"),
            "revoke_certificate",
            &[("certificate_id", &id.to_string()), ("reason", "mine")],
        )
        .await;
    assert_eq!(done.error, Some(AppError::Forbidden));
    let done = app
        .submit(
            &holder,
            &format!("/admin/certificates/{id}"),
            "reissue_certificate",
            &[
                ("certificate_id", &id.to_string()),
                ("holder_name", "Someone Else"),
            ],
        )
        .await;
    assert_eq!(done.error, Some(AppError::Forbidden));

    // Reissue: the name changes, the number stays, the holder is sent the new PDF.
    cit_server::certificate_mail::announce_new(&app.db, &app.base, Utc::now())
        .await
        .unwrap();
    let done = app
        .submit(
            &admin,
            &format!("/admin/certificates/{id}"),
            "reissue_certificate",
            &[("certificate_id", &id.to_string()), ("holder_name", "  ")],
        )
        .await;
    assert!(
        matches!(done.error, Some(AppError::Invalid { ref field, .. }) if field == "holder_name"),
        "{:?}",
        done.error
    );
    let done = app
        .submit(
            &admin,
            &format!("/admin/certificates/{id}"),
            "reissue_certificate",
            &[
                ("certificate_id", &id.to_string()),
                ("holder_name", "Avery Lindqvist-Moreau"),
            ],
        )
        .await;
    assert_eq!(done.error, None);
    assert_eq!(
        done.location,
        Some(format!("/admin/certificates/{id}?reissued=1"))
    );
    let (name, same_number, reissues): (String, String, i64) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT holder_name, number, reissues FROM certificates WHERE id = $1").bind(id).fetch_one(pool).await.unwrap());
    assert_eq!(
        (name.as_str(), same_number.as_str(), reissues),
        ("Avery Lindqvist-Moreau", number.as_str(), 1)
    );
    // A message made before the reissue (a job that rendered the old PDF meanwhile) is not
    // stored: the next run sends the new one.
    let stale = app::db::outbox::NewMessage {
        to: EMAIL,
        subject: "old",
        body_text: "old",
        attachments: &[],
        kind: KIND_CERTIFICATE_ISSUED,
        secret_link: None,
    };
    assert!(
        !app::db::certificates::announce(&app.db, id, 0, &stale, Utc::now())
            .await
            .unwrap()
    );
    cit_server::certificate_mail::announce_new(&app.db, &app.base, Utc::now())
        .await
        .unwrap();
    assert_eq!(
        app.emails_to(EMAIL, KIND_CERTIFICATE_ISSUED).await,
        2,
        "the first PDF and the reissued one"
    );
    let pdf = holder
        .get(app.url(&format!("/certificates/{id}/certificate.pdf")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    assert!(
        text.contains("Lindqvist-Moreau") && text.contains(&number),
        "{text}"
    );

    // Revoke: a reason is required; then revoked, audited, and it cannot change any more.
    let done = app
        .submit(
            &admin,
            &format!("/admin/certificates/{id}"),
            "revoke_certificate",
            &[("certificate_id", &id.to_string()), ("reason", "")],
        )
        .await;
    assert!(
        matches!(done.error, Some(AppError::Invalid { ref field, .. }) if field == "reason"),
        "{:?}",
        done.error
    );
    let status: String = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT status FROM certificates WHERE id = $1").bind(id).fetch_one(pool).await.unwrap());
    assert_eq!(status, "active", "a refused revocation changes nothing");
    let done = app
        .submit(
            &admin,
            &format!("/admin/certificates/{id}"),
            "revoke_certificate",
            &[
                ("certificate_id", &id.to_string()),
                ("reason", "Exam misconduct found on review"),
            ],
        )
        .await;
    assert_eq!(done.error, None);
    let (_, _, page) = app
        .get(&admin, &format!("/admin/certificates/{id}?revoked=1"))
        .await;
    assert!(
        page.contains("Certificate revoked.") && page.contains("Exam misconduct found on review"),
        "{page}"
    );
    let (_, _, page) = app.get(&admin, "/admin/certificates?status=revoked").await;
    assert!(page.contains(&number));
    let done = app
        .submit(
            &admin,
            &format!("/admin/certificates/{id}"),
            "revoke_certificate",
            &[("certificate_id", &id.to_string()), ("reason", "again")],
        )
        .await;
    assert!(
        matches!(done.error, Some(AppError::Conflict(_))),
        "{:?}",
        done.error
    );
    let audit: Vec<(String, String)> = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT action, after_value FROM audit_log WHERE entity = 'certificate' AND entity_id = $1 ORDER BY id").bind(id).fetch_all(pool).await.unwrap());
    let actions: Vec<&str> = audit.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "certificate.issued",
            "certificate.reissued",
            "certificate.revoked"
        ]
    );
    assert!(audit[2].1.contains("Exam misconduct found on review"));
    let membership: String = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT status FROM memberships WHERE certificate_id = $1").bind(id).fetch_one(pool).await.unwrap());
    assert_eq!(membership, "ended");

    // The holder no longer gets a copy (it would look valid); staff still do.
    let path = format!("/certificates/{id}/certificate.pdf");
    assert_eq!(
        holder.get(app.url(&path)).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        admin.get(app.url(&path)).send().await.unwrap().status(),
        StatusCode::OK
    );
    let (_, _, page) = app.get(&holder, "/certificates").await;
    assert!(
        page.contains("This certificate was revoked")
            && !page.contains(&format!("href=\"{path}\"")),
        "{page}"
    );
}
