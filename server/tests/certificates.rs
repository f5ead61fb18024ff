//! Certificates on both databases: passing issues exactly one (with its membership and the
//! guide's shipment), concurrent issues take consecutive numbers, the PDF carries the name,
//! number, dates and a QR code of the verification link, only its holder and staff download
//! it, and the announcement with the PDF is stored once.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::{
    db::certificate_issue::{self, Issued},
    domain::certificate::{expiry, issue_date, long_date, KIND_CERTIFICATE_ISSUED},
};
use chrono::{Datelike, NaiveDate, Utc};
use common::{
    exam::{eligible, objective_bank, take_test},
    TestApp,
};
use reqwest::StatusCode;

on_both_databases!(
    passing_issues_one_certificate_with_membership_pdf_and_mail,
    concurrent_issues_take_consecutive_numbers,
    only_a_final_pass_with_attendance_issues_and_911_gets_a_completion_certificate,
    a_regrade_that_takes_the_pass_away_revokes_the_certificate,
);

pub const NAME: &str = "Robin Harlow";
pub const EMAIL: &str = "robin@springfield.gov";

/// (id, number, issued_on, expires_on, status) of every certificate of `email`.
async fn certificates_of(
    app: &TestApp,
    email: &str,
) -> Vec<(i64, String, NaiveDate, Option<NaiveDate>, String)> {
    app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT c.id, c.number, c.issued_on, c.expires_on, c.status FROM certificates c JOIN users u ON u.id = c.user_id WHERE u.email = $1 ORDER BY c.id").bind(email).fetch_all(pool).await.unwrap())
}

/// The QR code as the PDF draws it (dark squares on a light square), rasterised at 8 pixels
/// per module: (width, height, greyscale pixels, 0 dark).
fn embedded_image(pdf: &[u8]) -> (usize, usize, Vec<u8>) {
    use lopdf::{content::Content, Document, Object};
    let number = |o: &Object| {
        o.as_float()
            .ok()
            .or_else(|| o.as_i64().ok().map(|i| i as f32))
    };
    let doc = Document::load_mem(pdf).unwrap();
    // Every axis-aligned square drawn in any content stream: (x, y, side).
    let mut squares: Vec<(f32, f32, f32)> = Vec::new();
    for object in doc.objects.values() {
        let Object::Stream(stream) = object else {
            continue;
        };
        let Ok(bytes) = stream
            .decompressed_content()
            .or_else(|_| Ok::<_, ()>(stream.content.clone()))
        else {
            continue;
        };
        let Ok(content) = Content::decode(&bytes) else {
            continue;
        };
        let mut points: Vec<(f32, f32)> = Vec::new();
        let mut close = |points: &mut Vec<(f32, f32)>| {
            if points.len() >= 4 {
                let xs = points.iter().map(|p| p.0);
                let ys = points.iter().map(|p| p.1);
                let (x0, x1) = (
                    xs.clone().fold(f32::MAX, f32::min),
                    xs.fold(f32::MIN, f32::max),
                );
                let (y0, y1) = (
                    ys.clone().fold(f32::MAX, f32::min),
                    ys.fold(f32::MIN, f32::max),
                );
                if ((x1 - x0) - (y1 - y0)).abs() < 0.01 && x1 > x0 {
                    squares.push((x0, y0, x1 - x0));
                }
            }
            points.clear();
        };
        for op in &content.operations {
            let args: Vec<f32> = op.operands.iter().filter_map(number).collect();
            match op.operator.as_str() {
                "m" => {
                    close(&mut points);
                    points.push((args[0], args[1]));
                }
                "l" => points.push((args[0], args[1])),
                "re" => {
                    close(&mut points);
                    let (x, y, w, h) = (args[0], args[1], args[2], args[3]);
                    points.extend([(x, y), (x + w, y), (x + w, y + h), (x, y + h)]);
                    close(&mut points);
                }
                "h" | "f" | "f*" | "S" | "B" | "n" => close(&mut points),
                _ => {}
            }
        }
        close(&mut points);
    }
    let (bx, by, bside) =
        squares.iter().copied().fold(
            (0.0, 0.0, 0.0),
            |best, s| if s.2 > best.2 { s } else { best },
        );
    let module = squares.iter().map(|s| s.2).fold(f32::MAX, f32::min);
    let side = (bside / module).round() as usize;
    assert!(side > 20, "a QR code of {side} modules");
    const PX: usize = 8;
    let width = side * PX;
    let mut pixels = vec![255_u8; width * width];
    for &(x, y, s) in &squares {
        if (s - module).abs() > 0.01 {
            continue;
        }
        let col = ((x - bx) / module).round() as usize;
        // PDF space grows upwards; the image's rows grow downwards.
        let row = side - 1 - ((y - by) / module).round() as usize;
        for py in row * PX..(row + 1) * PX {
            pixels[py * width + col * PX..py * width + (col + 1) * PX].fill(0);
        }
    }
    (width, width, pixels)
}

fn decode_qr(width: usize, height: usize, pixels: &[u8]) -> String {
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().unwrap().1
}

async fn passing_issues_one_certificate_with_membership_pdf_and_mail(app: &TestApp) {
    objective_bank(app).await;
    let (holder, registration) = eligible(app, NAME, EMAIL).await;
    let attempt = take_test(app, &holder, registration, "0").await;

    // Issued in the finishing transaction: one certificate, numbered, dated in Denver.
    let certs = certificates_of(app, EMAIL).await;
    assert_eq!(certs.len(), 1, "{certs:?}");
    let (id, number, issued_on, expires_on, status) = certs[0].clone();
    let today = issue_date(Utc::now());
    assert_eq!(issued_on, today);
    assert_eq!(number, format!("CITC-{}-000001", today.year()));
    assert_eq!(expires_on, Some(expiry(issued_on)));
    assert_eq!(status, "active");
    let membership: (NaiveDate, NaiveDate, String) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT starts_on, ends_on, status FROM memberships WHERE certificate_id = $1").bind(id).fetch_one(pool).await.unwrap());
    assert_eq!(
        membership,
        (issued_on, expiry(issued_on), "active".to_owned())
    );
    let shipments: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM guide_shipments WHERE certificate_id = $1 AND shipped_at IS NULL").bind(id).fetch_one(pool).await.unwrap());
    assert_eq!(shipments, 1, "the first certificate queues the guide");
    let audited: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'certificate.issued' AND entity_id = $1").bind(id).fetch_one(pool).await.unwrap());
    assert_eq!(audited, 1);

    // Asking again (a repeated job, a second server) issues nothing more.
    assert_eq!(
        certificate_issue::issue(&app.db, attempt, Utc::now())
            .await
            .unwrap(),
        Issued::Already { id }
    );
    assert_eq!(certificates_of(app, EMAIL).await.len(), 1);

    // The holder's page lists it with its download.
    let (status, _, page) = app.get(&holder, "/certificates").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&number), "{page}");
    assert!(
        page.contains(&format!("/certificates/{id}/certificate.pdf")),
        "{page}"
    );
    assert!(page.contains(&long_date(issued_on)), "{page}");

    // The PDF: name, number, dates as text; the QR code opens the verification page.
    let response = holder
        .get(app.url(&format!("/certificates/{id}/certificate.pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let pdf = response.bytes().await.unwrap().to_vec();
    assert!(pdf.len() < 200_000, "fonts are subset: {} bytes", pdf.len());
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        NAME,
        number.as_str(),
        &long_date(issued_on),
        &long_date(expiry(issued_on)),
        "Certified CIT Coordinator",
        "Director of Training",
    ] {
        assert!(
            flat.contains(expected),
            "{expected:?} not in the PDF's text: {flat}"
        );
    }
    let code: String = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT verification_code FROM certificates WHERE id = $1").bind(id).fetch_one(pool).await.unwrap());
    let (w, h, pixels) = embedded_image(&pdf);
    assert_eq!(
        decode_qr(w, h, &pixels),
        format!("{}/verify/{code}", app.base)
    );

    // Only the holder and staff: anyone else gets 404, a visitor is sent to sign in.
    let other = app.sign_up("Casey Other", "casey@elsewhere.gov").await;
    let path = format!("/certificates/{id}/certificate.pdf");
    assert_eq!(
        other.get(app.url(&path)).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other
            .get(app.url("/certificates/999999/certificate.pdf"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let anonymous = app.browser().get(app.url(&path)).send().await.unwrap();
    assert!(anonymous.status().is_redirection());
    let (staff, _) = app.sign_in("registrar@cit.org", common::PASSWORD).await;
    assert_eq!(
        staff.get(app.url(&path)).send().await.unwrap().status(),
        StatusCode::OK
    );
    let (_, _, other_page) = app.get(&other, "/certificates").await;
    assert!(
        !other_page.contains(&number),
        "another person's list shows it"
    );

    // The announcement, with the PDF attached, is stored once however often the job runs.
    let stored = cit_server::certificate_mail::announce_new(&app.db, &app.base, Utc::now())
        .await
        .unwrap();
    assert_eq!(stored, 1);
    assert_eq!(
        cit_server::certificate_mail::announce_new(&app.db, &app.base, Utc::now())
            .await
            .unwrap(),
        0
    );
    assert_eq!(app.emails_to(EMAIL, KIND_CERTIFICATE_ISSUED).await, 1);
    let message = app::db::outbox::recent(&app.db, 100)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.kind == KIND_CERTIFICATE_ISSUED)
        .unwrap();
    assert!(
        message.body_text.contains(&number)
            && message.body_text.contains(&format!("/verify/{code}"))
    );
    let attachments = message.attachments().unwrap();
    assert_eq!(attachments.len(), 1);
    assert_eq!(attachments[0].filename, format!("{number}.pdf"));
    assert_eq!(attachments[0].content_type, "application/pdf");
    use base64::Engine;
    let attached = base64::engine::general_purpose::STANDARD
        .decode(&attachments[0].content_base64)
        .unwrap();
    assert!(pdf_extract::extract_text_from_mem(&attached)
        .unwrap()
        .contains(NAME));
}

/// `n` people with a paid seat, every session attended and a passed, final attempt: their
/// attempt ids. Written straight to the database, to race the issuing alone.
async fn passed_attempts(app: &TestApp, course_code: &str, n: usize) -> Vec<i64> {
    let (offering, course): (i64, i64) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT o.id, o.course_id FROM offerings o JOIN courses c ON c.id = o.course_id WHERE c.code = $1 ORDER BY o.id LIMIT 1").bind(course_code).fetch_one(pool).await.unwrap());
    let meetings: Vec<(i64, chrono::DateTime<Utc>, chrono::DateTime<Utc>)> = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT id, starts_at, ends_at FROM meetings WHERE offering_id = $1").bind(offering).fetch_all(pool).await.unwrap());
    let now = Utc::now();
    let mut attempts = Vec::new();
    for i in 0..n {
        let user = app
            .create_user(&format!("{course_code}.racer{i}@cit.org"), "attendee")
            .await;
        let attempt: i64 = app::db::on_db!(&app.db, pool => {
            let registration: i64 = sqlx::query_scalar("INSERT INTO registrations (offering_id, user_id, status, holds_seat, amount_due_cents, payment_status, created_at, updated_at) VALUES ($1, $2, 'confirmed', FALSE, 45000, 'paid', $3, $3) RETURNING id")
                .bind(offering).bind(user).bind(now).fetch_one(pool).await.unwrap();
            for (meeting, starts, ends) in &meetings {
                sqlx::query("INSERT INTO attendance (registration_id, meeting_id, status, minutes, source, recorded_at) VALUES ($1, $2, 'present', $3, 'roll_call', $4)")
                    .bind(registration).bind(meeting).bind((*ends - *starts).num_minutes()).bind(now).execute(pool).await.unwrap();
            }
            sqlx::query_scalar("INSERT INTO attempts (registration_id, user_id, course_id, number, seed, started_at, deadline_at, status, finished_by, finished_at, score_centi, max_centi, passed) \
                                VALUES ($1, $2, $3, 1, 7, $4, $4, 'final', 'submitted', $4, 200, 200, TRUE) RETURNING id")
                .bind(registration).bind(user).bind(course).bind(now).fetch_one(pool).await.unwrap()
        });
        attempts.push(attempt);
    }
    attempts
}

async fn concurrent_issues_take_consecutive_numbers(app: &TestApp) {
    const N: usize = 16;
    let attempts = passed_attempts(app, "CITC", N).await;
    let now = Utc::now();
    // Every attempt twice, all at once: a repeated issue must neither fail nor number again.
    let tasks: Vec<_> = attempts
        .iter()
        .chain(attempts.iter())
        .map(|&attempt| {
            let db = app.db.clone();
            tokio::spawn(async move { certificate_issue::issue(&db, attempt, now).await })
        })
        .collect();
    let mut new = 0;
    for task in tasks {
        match task.await.unwrap().unwrap() {
            Issued::New { .. } => new += 1,
            Issued::Already { .. } => {}
            Issued::NotEarned => panic!("every attempt earned one"),
            Issued::AlreadyHeld { .. } => panic!("each attempt is another person's"),
        }
    }
    assert_eq!(new, N);
    let year = issue_date(now).year();
    let mut numbers: Vec<String> = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT number FROM certificates").fetch_all(pool).await.unwrap());
    numbers.sort();
    let expected: Vec<String> = (1..=N).map(|i| format!("CITC-{year}-{i:06}")).collect();
    assert_eq!(numbers, expected, "no number duplicated or skipped");
    let codes: Vec<String> = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT verification_code FROM certificates").fetch_all(pool).await.unwrap());
    assert_eq!(
        codes
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        N
    );
    let memberships: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM memberships").fetch_one(pool).await.unwrap());
    assert_eq!(memberships, i64::try_from(N).unwrap());
}

async fn only_a_final_pass_with_attendance_issues_and_911_gets_a_completion_certificate(
    app: &TestApp,
) {
    let now = Utc::now();
    let attempts = passed_attempts(app, "CITC", 4).await;
    // Not passed, or not final (an essay waits), or a session no longer counted: nothing.
    let set = |sql: &'static str, attempt: i64| async move {
        app::db::on_db!(&app.db, pool => sqlx::query(sql).bind(attempt).execute(pool).await.map(|_| ()).unwrap());
    };
    set(
        "UPDATE attempts SET passed = FALSE WHERE id = $1",
        attempts[0],
    )
    .await;
    set(
        "UPDATE attempts SET status = 'awaiting_grading', passed = NULL WHERE id = $1",
        attempts[1],
    )
    .await;
    set("UPDATE attendance SET status = 'absent', minutes = 0 WHERE registration_id = (SELECT registration_id FROM attempts WHERE id = $1)", attempts[2]).await;
    for &attempt in &attempts[..3] {
        assert_eq!(
            certificate_issue::issue(&app.db, attempt, now)
                .await
                .unwrap(),
            Issued::NotEarned,
            "attempt {attempt}"
        );
    }
    assert!(matches!(
        certificate_issue::issue(&app.db, attempts[3], now)
            .await
            .unwrap(),
        Issued::New { .. }
    ));

    // The 911 course: a certificate of completion, its own series, no expiry, no membership,
    // no guide.
    let completion = passed_attempts(app, "CIT911", 1).await;
    let Issued::New { id, number } = certificate_issue::issue(&app.db, completion[0], now)
        .await
        .unwrap()
    else {
        panic!("a 911 pass issues a certificate");
    };
    assert_eq!(number, format!("CIT911-{}-000001", issue_date(now).year()));
    let (kind, expires_on): (String, Option<NaiveDate>) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT kind, expires_on FROM certificates WHERE id = $1").bind(id).fetch_one(pool).await.unwrap());
    assert_eq!((kind.as_str(), expires_on), ("completion", None));
    let extras: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT (SELECT COUNT(*) FROM memberships WHERE certificate_id = $1) + (SELECT COUNT(*) FROM guide_shipments WHERE certificate_id = $1)").bind(id).fetch_one(pool).await.unwrap());
    assert_eq!(extras, 0);
}

/// Corrects question `question`'s key to `weights` as `actor`, applying the plan the preview
/// would show.
async fn correct_key(app: &TestApp, question: i64, weights: &[i64], actor: i64) {
    let plan = app::db::regrade::load(&app.db, question)
        .await
        .unwrap()
        .unwrap()
        .plan(weights)
        .unwrap();
    app::db::regrade::apply(
        &app.db,
        question,
        weights,
        &plan.fingerprint(),
        actor,
        Utc::now(),
    )
    .await
    .unwrap();
}

async fn a_regrade_that_takes_the_pass_away_revokes_the_certificate(app: &TestApp) {
    use app::db::certificate_revoke::REGRADE_REASON;
    objective_bank(app).await;
    let (holder, registration) = eligible(app, NAME, EMAIL).await;
    let attempt = take_test(app, &holder, registration, "0").await;
    let (id, ..) = certificates_of(app, EMAIL).await[0].clone();
    let code: String = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT verification_code FROM certificates WHERE id = $1").bind(id).fetch_one(pool).await.unwrap());
    let questions: Vec<i64> = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT question_id FROM attempt_items WHERE attempt_id = $1 ORDER BY position").bind(attempt).fetch_all(pool).await.unwrap());
    let admin: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM users WHERE email = 'registrar@cit.org'").fetch_one(pool).await.unwrap());

    // The first correction leaves 50%, still the pass mark: the certificate stands.
    correct_key(app, questions[0], &[0, 100], admin).await;
    assert_eq!(certificates_of(app, EMAIL).await[0].4, "active");

    // The second takes the score to 0%: the pass is gone, and so is the certificate.
    correct_key(app, questions[1], &[0, 100], admin).await;
    let passed: Option<bool> = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT passed FROM attempts WHERE id = $1").bind(attempt).fetch_one(pool).await.unwrap());
    assert_eq!(passed, Some(false));
    let (status, reason): (String, Option<String>) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT status, revoked_reason FROM certificates WHERE id = $1").bind(id).fetch_one(pool).await.unwrap());
    assert_eq!(
        (status.as_str(), reason.as_deref()),
        ("revoked", Some(REGRADE_REASON))
    );
    let membership: String = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT status FROM memberships WHERE certificate_id = $1").bind(id).fetch_one(pool).await.unwrap());
    assert_eq!(membership, "ended");
    let audited: Vec<(Option<i64>, Option<String>)> = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT actor_id, after_value FROM audit_log WHERE action = 'certificate.revoked' AND entity_id = $1").bind(id).fetch_all(pool).await.unwrap());
    assert_eq!(audited.len(), 1, "{audited:?}");
    assert_eq!(audited[0].0, Some(admin), "the regrade's author");
    assert!(audited[0].1.as_deref().unwrap().contains(REGRADE_REASON));

    // The holder's page and the public verification say so.
    let (_, _, page) = app.get(&holder, "/certificates").await;
    assert!(page.contains("This certificate was revoked"), "{page}");
    let (_, _, page) = app.get(&app.browser(), &format!("/verify/{code}")).await;
    let today = long_date(issue_date(Utc::now()));
    assert!(page.contains(&format!("Revoked on {today}")), "{page}");
}
