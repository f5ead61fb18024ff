//! Administrators edit the catalog through the pages, on both databases.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use common::{TestApp, PASSWORD};
use reqwest::StatusCode;

on_both_databases!(an_admin_adds_and_edits_a_course_and_markdown_is_sanitised);

fn fields(code: &str, fee: &str) -> Vec<(&'static str, String)> {
    vec![
        ("original_code", String::new()),
        ("code", code.to_owned()),
        ("title", "Crisis de-escalation refresher".into()),
        ("kind", "continuing_education".into()),
        ("summary", "Two hours on what changed this year.".into()),
        (
            "description",
            "A **live** refresher.\n\n<script>alert(1)</script>\n\n[site](javascript:alert(2))"
                .into(),
        ),
        ("hours", "2".into()),
        ("fee", fee.to_owned()),
        ("eligibility", "active_coordinator".into()),
        ("ce_hours", "2".into()),
        ("format", "One 2-hour online session".into()),
        ("topics", "What changed\nCase review".into()),
    ]
}

async fn an_admin_adds_and_edits_a_course_and_markdown_is_sanitised(app: &TestApp) {
    app.create_user("chief@cit.org", "admin").await;
    let admin = app.sign_in("chief@cit.org", PASSWORD).await.0;
    let as_pairs = |f: &Vec<(&'static str, String)>| {
        f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>()
    };

    // A negative fee is refused next to the field and nothing is saved.
    let bad = as_pairs(&fields("CE1", "-75"));
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = app
        .submit(&admin, "/admin/courses/new", "save_course", &bad)
        .await;
    assert!(done.error.unwrap().field_message("fee").is_some());
    assert_eq!(
        app.get(&admin, "/courses/CE1").await.0,
        StatusCode::NOT_FOUND
    );

    let good = as_pairs(&fields("ce1", "75"));
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = app
        .submit(&admin, "/admin/courses/new", "save_course", &good)
        .await;
    assert_eq!(
        (done.error, done.location.as_deref()),
        (None, Some("/courses/CE1?saved=1"))
    );
    let (status, _, page) = app.get(&app.browser(), "/courses/CE1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("A <strong>live</strong> refresher.")
            && page.contains("$75")
            && page.contains("Case review"),
        "{page}"
    );
    let prose = page
        .split("<div class=\"prose\">")
        .nth(1)
        .and_then(|s| s.split("</div>").next())
        .expect("description");
    assert!(
        !prose.contains("<script") && !prose.contains("javascript:"),
        "sanitised: {prose}"
    );
    // The raw Markdown travels only inside the serialised page data, with `<` escaped.
    assert!(!page.contains("<script>alert(1)"));

    // A duplicate code is refused; an edit keeps the course and changes the fee.
    let done = app
        .submit(&admin, "/admin/courses/new", "save_course", &good)
        .await;
    assert!(done
        .error
        .unwrap()
        .field_message("code")
        .unwrap()
        .contains("already has this code"));
    let mut edit = as_pairs(&fields("CE1", "80"));
    edit[0].1 = "CE1".into();
    // The attendance rule: a bad share is refused, then 100% with excused counting is kept.
    let mut bad_share = edit.clone();
    bad_share.push(("attendance_threshold", "150".into()));
    let bad_share: Vec<(&str, &str)> = bad_share.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = app
        .submit(&admin, "/admin/courses/CE1/edit", "save_course", &bad_share)
        .await;
    assert!(done
        .error
        .unwrap()
        .field_message("attendance_threshold")
        .is_some());
    edit.push(("attendance_threshold", "100".into()));
    edit.push(("excused_counts", "on".into()));
    let edit: Vec<(&str, &str)> = edit.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = app
        .submit(&admin, "/admin/courses/CE1/edit", "save_course", &edit)
        .await;
    assert_eq!(done.error, None);
    let (_, _, page) = app.get(&app.browser(), "/courses/CE1").await;
    assert!(page.contains("$80"));
    let rule = app::db::courses::find(&app.db, "CE1")
        .await
        .unwrap()
        .unwrap()
        .attendance_rule;
    assert_eq!((rule.threshold_percent, rule.excused_counts), (100, true));
    let (_, _, form) = app.get(&admin, "/admin/courses/CE1/edit").await;
    assert!(
        form.contains("Crisis de-escalation refresher")
            && form.contains("What changed\nCase review"),
        "{form}"
    );

    // Attendees may do none of it.
    let jane = app.sign_up("Jane Doe", "jane@denver.gov").await;
    assert_eq!(
        app.submit(&jane, "/admin/courses/new", "save_course", &good)
            .await
            .error,
        Some(app::error::AppError::Forbidden)
    );
}
