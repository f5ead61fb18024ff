//! Importing coordinators certified before the platform from a CSV, as a browser without
//! JavaScript does, on both databases: every row's problems in the preview and nothing
//! written before the confirmation; accounts matched by email or created without a usable
//! password (set through "forgot password"); certificates, memberships, audit; the number
//! counter raised so the next certificate issued here follows; the imported certificate
//! verifies; the same file twice imports nothing twice; only administrators get in.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::{domain::certificate::issue_date, error::AppError};
use chrono::{Datelike, Utc};
use common::{
    exam::{eligible, objective_bank, take_test},
    multipart::{draft_of, post_file, post_form},
    Browser, Submitted, TestApp, PASSWORD,
};
use reqwest::StatusCode;

on_both_databases!(
    a_file_is_previewed_fixed_and_imported_once,
    records_for_an_unverified_account_wait_until_its_address_is_verified,
    a_password_reset_proves_the_address_and_attaches_what_waited,
    an_unreadable_file_is_refused_next_to_the_field_and_not_kept,
    only_administrators_import,
);

const PAGE: &str = "/admin/certificates/import";

/// Posts the upload form as a browser without JavaScript does.
async fn upload(app: &TestApp, client: &Browser, bytes: &[u8]) -> Submitted {
    let file = ("file", "coordinators.csv", bytes);
    post_file(app, client, "upload_certificate_import", PAGE, &[], file).await
}

async fn confirm(app: &TestApp, client: &Browser, draft: &str) -> Submitted {
    app.submit(
        client,
        &format!("{PAGE}?draft={draft}"),
        "confirm_certificate_import",
        &[("draft", draft)],
    )
    .await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap())
}

/// The preview's table row of `email`.
fn row_of<'a>(page: &'a str, email: &str) -> &'a str {
    let at = page
        .find(email)
        .unwrap_or_else(|| panic!("{email} not in {page}"));
    let start = page[..at].rfind("<tr").unwrap();
    let end = at + page[at..].find("</tr>").unwrap();
    &page[start..end]
}

async fn a_file_is_previewed_fixed_and_imported_once(app: &TestApp) {
    objective_bank(app).await; // the administrator registrar@cit.org, and a test to pass later
    app.sign_up("Ana Ruiz", "ana@denver.gov").await;
    app.verify_email("ana@denver.gov").await;
    let (admin, _) = app.sign_in("registrar@cit.org", PASSWORD).await;
    let year = issue_date(Utc::now()).year();
    let ana_number = format!("CITC-{year}-000042");
    let good = format!(
        "name,email,number,issued,expires\n\
         Ana M. Ruiz,ANA@Denver.gov,{ana_number},{year}-01-01,01/01/{}\n\
         Bo Chen,bo@metro911.gov,citc-2019-000007,2019-05-02,2022-05-02\n",
        year + 3
    );
    let bad = format!("{good}Cy Diaz,cy@metro911.gov,CITC-2019-000008,2019-02-30,2022-02-28\n");
    let users_before = count(app, "SELECT COUNT(*) FROM users").await;

    // A file with a bad row: the problem is named in its row, and nothing is written, even
    // when the confirmation is posted anyway.
    let draft = draft_of(&upload(app, &admin, bad.as_bytes()).await);
    let (status, _, page) = app.get(&admin, &format!("{PAGE}?draft={draft}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        row_of(&page, "cy@metro911.gov")
            .contains("The issue date &quot;2019-02-30&quot; is not a date")
            || row_of(&page, "cy@metro911.gov")
                .contains("The issue date \"2019-02-30\" is not a date"),
        "{page}"
    );
    assert!(row_of(&page, "ana@denver.gov").contains("Existing account (Ana Ruiz)"));
    assert!(row_of(&page, "bo@metro911.gov").contains("New account"));
    assert!(row_of(&page, "bo@metro911.gov").contains("Expired"));
    assert!(page.contains("3 rows, 1 with a problem"), "{page}");
    assert!(
        !page.contains("Import 3 certificates"),
        "no confirmation while a row has a problem"
    );
    let refused = confirm(app, &admin, &draft).await;
    assert!(
        matches!(&refused.error, Some(AppError::Conflict(m)) if m.contains("1 row has a problem")),
        "{refused:?}"
    );
    assert_eq!(count(app, "SELECT COUNT(*) FROM certificates").await, 0);
    assert_eq!(count(app, "SELECT COUNT(*) FROM users").await, users_before);

    // The fixed file: previewed, still nothing written; then imported.
    let draft = draft_of(&upload(app, &admin, good.as_bytes()).await);
    let (_, _, page) = app.get(&admin, &format!("{PAGE}?draft={draft}")).await;
    assert!(
        page.contains("2 rows, none with a problem; 1 new account."),
        "{page}"
    );
    assert!(page.contains("Import 2 certificates"));
    assert!(row_of(&page, "bo@metro911.gov").contains("CITC-2019-000007"));
    assert_eq!(count(app, "SELECT COUNT(*) FROM certificates").await, 0);
    let done = confirm(app, &admin, &draft).await;
    assert_eq!(done.error, None);
    assert_eq!(
        done.location.as_deref(),
        Some("/admin/certificates/import?imported=2&created=1&pending=0")
    );
    let (_, _, page) = app.get(&admin, done.location.as_deref().unwrap()).await;
    assert!(page.contains("2 certificates imported."), "{page}");

    // Ana's certificate is on her own account, under the name in the file; Bo got an
    // account without a usable password; Bo's certificate and membership are over.
    type Imported = (String, String, String, String, String, String);
    let rows: Vec<Imported> = app::db::on_db!(&app.db, pool => sqlx::query_as(
        "SELECT c.number, u.email, c.holder_name, c.status, m.status, c.verification_code FROM certificates c \
         JOIN users u ON u.id = c.user_id JOIN memberships m ON m.certificate_id = c.id ORDER BY c.number",
    ).fetch_all(pool).await.unwrap());
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (
            &rows[0].0[..],
            &rows[0].1[..],
            &rows[0].2[..],
            &rows[0].3[..],
            &rows[0].4[..]
        ),
        (
            "CITC-2019-000007",
            "bo@metro911.gov",
            "Bo Chen",
            "expired",
            "ended"
        )
    );
    assert_eq!(
        (
            &rows[1].0[..],
            &rows[1].1[..],
            &rows[1].2[..],
            &rows[1].3[..],
            &rows[1].4[..]
        ),
        (
            ana_number.as_str(),
            "ana@denver.gov",
            "Ana M. Ruiz",
            "active",
            "active"
        )
    );
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM users WHERE email = 'ana@denver.gov'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'certificate.imported'"
        )
        .await,
        2
    );
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'user.imported'"
        )
        .await,
        1
    );
    for password in ["", "!no-password", PASSWORD] {
        let (_, tried) = app.sign_in("bo@metro911.gov", password).await;
        assert_ne!(
            tried.location.as_deref(),
            Some("/dashboard"),
            "{password:?} signed in"
        );
    }
    // Bo sets a password through "forgot password", then signs in.
    app.submit(
        &app.browser(),
        "/forgot-password",
        "forgot_password",
        &[("email", "bo@metro911.gov")],
    )
    .await;
    let link = app
        .emailed_link("bo@metro911.gov", "reset_password")
        .await
        .expect("a reset link");
    let token = link.strip_prefix("/reset-password/").unwrap().to_owned();
    let reset = app
        .submit(
            &app.browser(),
            &link,
            "reset_password",
            &[
                ("token", &token),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(reset.location.as_deref(), Some("/dashboard"), "{reset:?}");
    let (_, signed_in) = app.sign_in("bo@metro911.gov", PASSWORD).await;
    assert_eq!(signed_in.location.as_deref(), Some("/dashboard"));

    // Anyone verifies Ana's imported certificate.
    let response = app
        .browser()
        .get(app.url(&format!("/api/verify/{}", rows[1].5)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["number"], ana_number.as_str());
    assert_eq!(body["holder_name"], "Ana M. Ruiz");
    assert_eq!(body["status"], "active");
    assert_eq!(body["issued_on"], format!("{year}-01-01"));
    assert_eq!(body["expires_on"], format!("{}-01-01", year + 3));

    // The same file again: every number is named as used, and nothing is imported twice;
    // the first draft is gone.
    let again = draft_of(&upload(app, &admin, good.as_bytes()).await);
    let (_, _, page) = app.get(&admin, &format!("{PAGE}?draft={again}")).await;
    assert!(row_of(&page, "bo@metro911.gov")
        .contains("CITC-2019-000007 is already the number of a certificate here."));
    assert!(
        row_of(&page, "ana@denver.gov").contains("is already the number of a certificate here.")
    );
    assert!(confirm(app, &admin, &again).await.error.is_some());
    let gone = confirm(app, &admin, &draft).await;
    assert!(
        matches!(&gone.error, Some(AppError::Conflict(m)) if m.contains("no longer available")),
        "{gone:?}"
    );
    let (_, _, page) = app.get(&admin, &format!("{PAGE}?draft={draft}")).await;
    assert!(page.contains("This preview is no longer available"));
    assert_eq!(count(app, "SELECT COUNT(*) FROM certificates").await, 2);

    // A certificate earned here this year takes the number after the imported one.
    let (holder, registration) = eligible(app, "Dee Evans", "dee@denver.gov").await;
    take_test(app, &holder, registration, "0").await;
    let number: String = app::db::on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT c.number FROM certificates c JOIN users u ON u.id = c.user_id WHERE u.email = 'dee@denver.gov'",
    ).fetch_one(pool).await.unwrap());
    assert_eq!(number, format!("CITC-{year}-000043"));
}

async fn an_unreadable_file_is_refused_next_to_the_field_and_not_kept(app: &TestApp) {
    app.create_user("registrar@cit.org", "admin").await;
    let (admin, _) = app.sign_in("registrar@cit.org", PASSWORD).await;
    for (bytes, expected) in [
        (&b"name,email\nAna,ana@x.gov\n"[..], "\"number\" is missing"),
        (&b"name,email,number,issued,expires\n"[..], "no rows"),
        (
            &b"name,email,number,issued,expires\n\xff\xfe,x\n"[..],
            "not UTF-8",
        ),
        (&b""[..], "The file is empty"),
    ] {
        let done = upload(app, &admin, bytes).await;
        let message = done.error.as_ref().and_then(|e| e.field_message("file"));
        assert!(
            message.as_deref().is_some_and(|m| m.contains(expected)),
            "{expected}: {done:?}"
        );
    }
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM certificate_import_drafts").await,
        0
    );
    // A file with a byte-order mark (Excel's "CSV UTF-8") reads.
    let done = upload(app, &admin, "\u{feff}name,email,number,issued,expires\nAna,ana@x.gov,CITC-2019-000001,2019-01-01,2022-01-01\n".as_bytes()).await;
    draft_of(&done);
}

async fn only_administrators_import(app: &TestApp) {
    app.create_user("registrar@cit.org", "admin").await;
    app.create_user("second@cit.org", "admin").await;
    app.create_user("teacher@cit.org", "instructor").await;
    let (admin, _) = app.sign_in("registrar@cit.org", PASSWORD).await;
    let file =
        b"name,email,number,issued,expires\nAna,ana@x.gov,CITC-2019-000001,2019-01-01,2022-01-01\n";
    let draft = draft_of(&upload(app, &admin, file).await);

    let jane = app.sign_up("Jane Doe", "jane@denver.gov").await;
    let (teacher, _) = app.sign_in("teacher@cit.org", PASSWORD).await;
    for someone in [&jane, &teacher] {
        let (status, _, page) = app.get(someone, &format!("{PAGE}?draft={draft}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(!page.contains("ana@x.gov"), "the preview must not leak");
        assert_eq!(
            upload(app, someone, file).await.error,
            Some(AppError::Forbidden)
        );
        assert_eq!(
            confirm(app, someone, &draft).await.error,
            Some(AppError::Forbidden)
        );
        let done = app
            .submit(
                someone,
                PAGE,
                "certificate_import_page",
                &[("draft", &draft)],
            )
            .await;
        assert_eq!(done.error, Some(AppError::Forbidden));
    }
    let (status, _, _) = app.get(&app.browser(), PAGE).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Another administrator neither sees nor confirms this one's draft.
    let (second, _) = app.sign_in("second@cit.org", PASSWORD).await;
    let (_, _, page) = app.get(&second, &format!("{PAGE}?draft={draft}")).await;
    assert!(page.contains("This preview is no longer available") && !page.contains("ana@x.gov"));
    assert!(confirm(app, &second, &draft).await.error.is_some());
    assert_eq!(count(app, "SELECT COUNT(*) FROM certificates").await, 0);
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM certificate_import_drafts").await,
        1
    );
}

async fn owner_of(app: &TestApp, table: &str, email: &str) -> i64 {
    let sql = format!(
        "SELECT COUNT(*) FROM {table} t JOIN users u ON u.id = t.user_id WHERE u.email = '{email}'"
    );
    count(app, &sql).await
}

/// Posts `/admin/ce`'s form (no file) as `admin`; returns the Location.
async fn record_ce(app: &TestApp, admin: &Browser, email: &str) -> Option<String> {
    let completed = format!("{}-01-15", issue_date(Utc::now()).year());
    let fields = [
        ("email", email),
        ("title", "State CIT conference"),
        ("hours", "4"),
        ("completed_on", completed.as_str()),
        ("evidence", "Signed attendance sheet"),
        ("approved", "on"),
    ];
    post_form(app, admin, "/admin/ce", "/admin/ce/record", &fields, None)
        .await
        .1
}

/// The pen test signed up with a coordinator's email, never verified it, and received that
/// coordinator's imported certificate, its PDF and the resource area. Now a certificate (and
/// CE done elsewhere) for an address whose account has not verified it waits under the
/// address, and is attached when the address is verified, by whoever can read its mail.
async fn records_for_an_unverified_account_wait_until_its_address_is_verified(app: &TestApp) {
    objective_bank(app).await; // the administrator registrar@cit.org
    let mallory = app
        .sign_up("Security Team Restore", "coord@denver.gov")
        .await;
    let (admin, _) = app.sign_in("registrar@cit.org", PASSWORD).await;
    let year = issue_date(Utc::now()).year();
    let number = format!("CITC-{year}-000042");
    let file = format!(
        "name,email,number,issued,expires\n\
         Casey Coordinator,coord@denver.gov,{number},{year}-01-01,01/01/{}\n",
        year + 3
    );
    let draft = draft_of(&upload(app, &admin, file.as_bytes()).await);
    let (_, _, page) = app.get(&admin, &format!("{PAGE}?draft={draft}")).await;
    let row = row_of(&page, "coord@denver.gov");
    assert!(
        row.contains("Existing account, email not verified: will be attached when verified"),
        "{row}"
    );
    assert!(!row.contains("Security Team"), "{row}");
    let done = confirm(app, &admin, &draft).await;
    assert_eq!(done.error, None);
    assert_eq!(
        done.location.as_deref(),
        Some("/admin/certificates/import?imported=1&created=0&pending=1")
    );
    let (_, _, page) = app.get(&admin, done.location.as_deref().unwrap()).await;
    assert!(
        page.contains("1 certificate waits for its account"),
        "{page}"
    );
    assert_eq!(
        record_ce(app, &admin, "coord@denver.gov").await.as_deref(),
        Some("/admin/ce?added=pending")
    );
    let (_, _, ce_page) = app.get(&admin, "/admin/ce").await;
    let waiting = ce_page
        .split("Waiting for a verified email address")
        .nth(2)
        .expect("the waiting records are listed");
    assert!(waiting.contains("coord@denver.gov"), "{waiting}");

    // The unverified account has nothing: no certificate, membership, CE, PDF or library.
    assert_eq!(owner_of(app, "certificates", "coord@denver.gov").await, 0);
    assert_eq!(owner_of(app, "memberships", "coord@denver.gov").await, 0);
    assert_eq!(owner_of(app, "ce_records", "coord@denver.gov").await, 0);
    let (status, location, _) = app.get(&mallory, "/resources").await;
    assert!(
        status != StatusCode::OK || location.is_some(),
        "the resource area opened to an unverified account"
    );
    let (_, _, dashboard) = app.get(&mallory, "/dashboard").await;
    assert!(!dashboard.contains(&number), "{dashboard}");
    // The number is reserved meanwhile: a second file with it is refused.
    let again = draft_of(&upload(app, &admin, file.as_bytes()).await);
    let (_, _, page) = app.get(&admin, &format!("{PAGE}?draft={again}")).await;
    assert!(
        page.contains("is already the number of a certificate here."),
        "{page}"
    );

    // The link goes to the address (its owner) and confirming it outside the account's
    // session takes the account's password (its maker): whoever holds both gets everything,
    // moved to the account in that same transaction.
    app.verify_email("coord@denver.gov").await;
    let (_, _, ce_page) = app.get(&admin, "/admin/ce").await;
    assert!(
        !ce_page.contains("Waiting for a verified email address"),
        "{ce_page}"
    );
    assert_eq!(owner_of(app, "certificates", "coord@denver.gov").await, 1);
    assert_eq!(owner_of(app, "memberships", "coord@denver.gov").await, 1);
    assert_eq!(owner_of(app, "ce_records", "coord@denver.gov").await, 1);
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM pending_certificates").await,
        0
    );
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM pending_ce_records").await,
        0
    );
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'certificate.attached'"
        )
        .await,
        1
    );
    let (status, location, _) = app.get(&mallory, "/resources").await;
    assert_eq!((status, location), (StatusCode::OK, None));
}

/// An account someone signed up for, with a certificate waiting: the address's owner, who
/// does not know that password, resets it through the emailed link. That proves the address
/// as verifying does, so the certificate is attached; and a stranger signing up again with
/// the address (or with an imported account's) gets nothing.
async fn a_password_reset_proves_the_address_and_attaches_what_waited(app: &TestApp) {
    objective_bank(app).await;
    app.sign_up("Someone Else", "coord@denver.gov").await;
    let (admin, _) = app.sign_in("registrar@cit.org", PASSWORD).await;
    let file = "name,email,number,issued,expires\n\
                Casey Coordinator,coord@denver.gov,CITC-2019-000007,2019-05-02,2022-05-02\n\
                Bo Chen,bo@metro911.gov,CITC-2019-000008,2019-05-02,2022-05-02\n";
    let draft = draft_of(&upload(app, &admin, file.as_bytes()).await);
    let done = confirm(app, &admin, &draft).await;
    assert_eq!(
        done.location.as_deref(),
        Some("/admin/certificates/import?imported=2&created=1&pending=1"),
        "{done:?}"
    );
    // A stranger signs up with the imported account's address: the same answer as anyone,
    // no new account, and the stranger's password opens nothing.
    let stranger = app
        .submit(
            &app.browser(),
            "/signup",
            "sign_up",
            &common::sign_up_fields("Bo Chen", "bo@metro911.gov", PASSWORD),
        )
        .await;
    assert_eq!(stranger.location.as_deref(), Some(common::SIGNED_UP));
    let (_, tried) = app.sign_in("bo@metro911.gov", PASSWORD).await;
    assert_ne!(tried.location.as_deref(), Some("/dashboard"));
    assert_eq!(owner_of(app, "certificates", "bo@metro911.gov").await, 1);

    assert_eq!(owner_of(app, "certificates", "coord@denver.gov").await, 0);
    app.submit(
        &app.browser(),
        "/forgot-password",
        "forgot_password",
        &[("email", "coord@denver.gov")],
    )
    .await;
    let link = app
        .emailed_link("coord@denver.gov", "reset_password")
        .await
        .expect("a reset link");
    let token = link.strip_prefix("/reset-password/").unwrap().to_owned();
    let new_password = "copper meadow lantern river";
    let reset = app
        .submit(
            &app.browser(),
            &link,
            "reset_password",
            &[
                ("token", &token),
                ("password", new_password),
                ("password_confirm", new_password),
            ],
        )
        .await;
    assert_eq!(reset.location.as_deref(), Some("/dashboard"), "{reset:?}");
    assert_eq!(owner_of(app, "certificates", "coord@denver.gov").await, 1);
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM users WHERE email = 'coord@denver.gov' AND email_verified_at IS NOT NULL").await,
        1
    );
}
