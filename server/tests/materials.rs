//! Course materials on both databases, driven as a browser without JavaScript would: files
//! (multipart) and links added by a class's staff, opened only by people with a seat in the
//! class and its staff, refused uploads leaving nothing behind, removal, and file names that
//! try to climb out of the store.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::{db::offerings::NewOffering, error::AppError};
use chrono::{Duration, Utc};
use common::{
    multipart::{post_form, PDF},
    Backend, Browser, TestApp,
};
use reqwest::{header, StatusCode};
use std::path::{Path, PathBuf};

/// Like `on_both_databases!`, but each app keeps its uploads in a data directory the test
/// can look into (to prove what was, and was not, stored).
macro_rules! on_both_databases_with_files {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    $crate::common::run(async { $crate::with_files!($crate::Backend::Sqlite, super::$name) });
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    $crate::common::run(async {
                        let Some(backend) = $crate::Backend::postgres() else { return };
                        $crate::with_files!(backend, super::$name);
                    });
                }
            )*
        }
    };
}

/// Starts the app with its own data directory, runs the test, stops the app.
#[macro_export]
macro_rules! with_files {
    ($backend:expr, $test:path) => {{
        let data = tempfile::tempdir().unwrap();
        let path = data.path().to_path_buf();
        let app = $crate::TestApp::spawn_with($backend, |c| c.data_dir = path.clone()).await;
        $test($crate::Ctx {
            app: &app,
            data: &path,
        })
        .await;
        app.finish().await;
    }};
}

on_both_databases_with_files!(
    registered_attendees_open_files_and_links,
    people_outside_the_class_are_refused,
    refused_uploads_store_nothing,
    removing_a_material_deletes_its_row_and_file,
    file_names_cannot_climb_out_of_the_store,
);

/// The app and the directory it keeps data in.
struct Ctx<'a> {
    app: &'a TestApp,
    data: &'a Path,
}

impl Ctx<'_> {
    fn files(&self) -> Vec<PathBuf> {
        match std::fs::read_dir(self.data.join("files")) {
            Ok(dir) => dir.map(|e| e.unwrap().path()).collect(),
            Err(_) => Vec::new(),
        }
    }
}

/// A class of `capacity` seats, a month away, with two sessions.
async fn class(app: &TestApp, capacity: i64) -> i64 {
    let course_id: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM courses WHERE code = 'CITC'").fetch_one(pool).await.unwrap());
    let now = Utc::now();
    let first = now + Duration::days(30);
    let new = NewOffering {
        course_id,
        zone: "America/Denver".into(),
        preset: "day".into(),
        capacity,
        registration_opens_at: now - Duration::days(1),
        registration_closes_at: first - Duration::days(1),
        meeting_url: "https://meet.example.org/cit".into(),
        meetings: vec![
            (first, first + Duration::hours(4)),
            (
                first + Duration::days(1),
                first + Duration::days(1) + Duration::hours(4),
            ),
        ],
        instructor_ids: vec![],
    };
    app::db::offerings::insert(&app.db, &new, None, now)
        .await
        .unwrap()
}

async fn meetings(app: &TestApp, offering: i64) -> Vec<i64> {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM meetings WHERE offering_id = $1 ORDER BY starts_at").bind(offering).fetch_all(pool).await.unwrap())
}

async fn admin(app: &TestApp) -> Browser {
    app.create_user("chief@cit.org", "admin").await;
    app.sign_in("chief@cit.org", common::PASSWORD).await.0
}

/// Signs up a person and registers them for `offering`; returns their browser.
async fn attendee(app: &TestApp, offering: i64, email: &str) -> Browser {
    let b = app.sign_up("Jane Doe", email).await;
    let done = app
        .submit(
            &b,
            &format!("/offerings/{offering}"),
            "register",
            &[("offering_id", &offering.to_string())],
        )
        .await;
    assert_eq!(done.error, None);
    b
}

/// Posts the upload form as a browser does (multipart); returns the status and Location.
async fn upload(
    app: &TestApp,
    b: &Browser,
    offering: i64,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> (StatusCode, Option<String>) {
    let page = format!("/teach/offerings/{offering}/materials");
    post_form(app, b, &page, &format!("{page}/upload"), fields, file).await
}

/// Uploads a PDF for the whole class and returns the new material's id.
async fn upload_pdf(app: &TestApp, b: &Browser, offering: i64, title: &str, filename: &str) -> i64 {
    let (status, location) = upload(
        app,
        b,
        offering,
        &[("title", title), ("meeting_id", "")],
        Some((filename, PDF)),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location,
        Some(format!("/teach/offerings/{offering}/materials?added=file"))
    );
    newest(app).await.unwrap()
}

async fn newest(app: &TestApp) -> Option<i64> {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT MAX(id) FROM course_materials").fetch_one(pool).await.unwrap())
}

async fn material_count(app: &TestApp) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM course_materials").fetch_one(pool).await.unwrap())
}

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1").bind(action).fetch_one(pool).await.unwrap())
}

/// A refusal: 404, and the same answer as for a material that does not exist.
fn assert_refused(
    who: &str,
    got: (StatusCode, Option<String>, header::HeaderMap, Vec<u8>),
    missing: &[u8],
) {
    assert_eq!(got.0, StatusCode::NOT_FOUND, "{who}");
    assert_eq!(got.3, missing, "{who}");
}

/// Adds a link as `b`; returns the error the form came back with.
async fn add_link(
    app: &TestApp,
    b: &Browser,
    offering: i64,
    title: &str,
    url: &str,
) -> Option<AppError> {
    let page = format!("/teach/offerings/{offering}/materials");
    app.submit(
        b,
        &page,
        "add_material_link",
        &[
            ("offering_id", &offering.to_string()),
            ("title", title),
            ("url", url),
        ],
    )
    .await
    .error
}

/// GET without following redirects: status, Location, headers, body.
async fn open(
    app: &TestApp,
    b: &Browser,
    path: &str,
) -> (StatusCode, Option<String>, header::HeaderMap, Vec<u8>) {
    let response = b
        .get(app.url(path))
        .header(header::ACCEPT, "text/html")
        .send()
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let location = headers
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned());
    (
        status,
        location,
        headers,
        response.bytes().await.unwrap().to_vec(),
    )
}

async fn registered_attendees_open_files_and_links(ctx: Ctx<'_>) {
    let app = ctx.app;
    let offering = class(app, 10).await;
    let sessions = meetings(app, offering).await;
    let admin = admin(app).await;
    let file = upload_pdf(
        app,
        &admin,
        offering,
        "Pre-reading: the CIT model",
        "CIT model.pdf",
    )
    .await;
    let done = app
        .submit(
            &admin,
            &format!("/teach/offerings/{offering}/materials"),
            "add_material_link",
            &[
                ("offering_id", &offering.to_string()),
                ("title", "Crisis line guide"),
                ("url", "https://cit.example/guide"),
                ("meeting_id", &sessions[0].to_string()),
            ],
        )
        .await;
    assert_eq!(done.error, None);
    assert_eq!(
        done.location,
        Some(format!("/teach/offerings/{offering}/materials?added=link"))
    );
    let link = newest(app).await.unwrap();
    assert_eq!(audit_count(app, "material.added").await, 2);
    let stored = ctx.files();
    assert_eq!(stored.len(), 1, "one stored file: {stored:?}");
    assert_eq!(std::fs::read(&stored[0]).unwrap(), PDF);

    let jane = attendee(app, offering, "jane@denver.gov").await;
    let (status, _, headers, body) = open(app, &jane, &format!("/materials/{file}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, PDF);
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"CIT model.pdf\"; filename*=UTF-8''CIT%20model.pdf"
    );
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(headers[header::CACHE_CONTROL], "private, no-store");

    let (status, location, headers, _) = open(app, &jane, &format!("/materials/{link}")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("https://cit.example/guide"));
    assert_eq!(headers[header::CACHE_CONTROL], "private, no-store");

    // The class page lists both, under the whole class and under the first session.
    let (_, _, html) = app.get(&jane, &format!("/offerings/{offering}")).await;
    assert!(html.contains("Class materials"), "{html}");
    assert!(
        html.contains("Pre-reading: the CIT model")
            && html.contains(&format!("href=\"/materials/{file}\""))
    );
    assert!(html.contains("Crisis line guide") && html.contains("Link · cit.example"));
    assert!(html.contains("Session 1 · "));
    // The staff page lists them with a way to remove each.
    let (status, _, html) = app
        .get(&admin, &format!("/teach/offerings/{offering}/materials"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Pre-reading: the CIT model") && html.contains("PDF · "),
        "{html}"
    );
    assert!(html.contains("Crisis line guide") && html.contains("Remove"));
}

async fn people_outside_the_class_are_refused(ctx: Ctx<'_>) {
    let app = ctx.app;
    // One seat: the first person gets it, the second waits.
    let offering = class(app, 1).await;
    let other_class = class(app, 10).await;
    let admin = admin(app).await;
    let file = upload_pdf(app, &admin, offering, "Slides", "slides.pdf").await;
    let path = format!("/materials/{file}");
    let seated = attendee(app, offering, "seated@denver.gov").await;
    assert_eq!(open(app, &seated, &path).await.0, StatusCode::OK);

    // Signed out: sent to sign in.
    let (status, location, ..) = open(app, &app.browser(), &path).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, Some(format!("/signin?next={path}")));

    let (_, _, _, missing) = open(app, &seated, &format!("/materials/{}", file + 1000)).await;
    let elsewhere = attendee(app, other_class, "elsewhere@denver.gov").await;
    assert_refused(
        "registered for another class",
        open(app, &elsewhere, &path).await,
        &missing,
    );
    let waiting = attendee(app, offering, "waiting@denver.gov").await;
    let status: String = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT r.status FROM registrations r JOIN users u ON u.id = r.user_id WHERE u.email = 'waiting@denver.gov'").fetch_one(pool).await.unwrap());
    assert_eq!(status, "waitlisted");
    assert_refused("waitlisted", open(app, &waiting, &path).await, &missing);
    let teacher = app.create_user("teacher@cit.org", "instructor").await;
    let instructor = app.sign_in("teacher@cit.org", common::PASSWORD).await.0;
    assert_refused(
        "an instructor of other classes",
        open(app, &instructor, &path).await,
        &missing,
    );
    assert_refused(
        "a guessed id",
        open(app, &elsewhere, &format!("/materials/{}", file + 1)).await,
        &missing,
    );
    assert_eq!(
        open(app, &seated, "/materials/..%2F..%2Fetc%2Fpasswd")
            .await
            .0,
        StatusCode::NOT_FOUND
    );

    // Nobody but the people in the class sees the section.
    for b in [&elsewhere, &waiting, &instructor, &app.browser()] {
        let (_, _, html) = app.get(b, &format!("/offerings/{offering}")).await;
        assert!(!html.contains("Class materials") && !html.contains("Slides"));
    }
    let (_, _, html) = app.get(&seated, &format!("/offerings/{offering}")).await;
    assert!(html.contains("Class materials") && html.contains("Slides"));

    // Managing them is for the class's staff only.
    let page = format!("/teach/offerings/{offering}/materials");
    assert_eq!(app.get(&seated, &page).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&instructor, &page).await.0, StatusCode::FORBIDDEN);
    let (status, _) = upload(
        app,
        &instructor,
        offering,
        &[("title", "Mine")],
        Some(("x.pdf", PDF)),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, location) = upload(
        app,
        &app.browser(),
        offering,
        &[("title", "Mine")],
        Some(("x.pdf", PDF)),
    )
    .await;
    assert_eq!(
        (status, location.unwrap().starts_with("/signin")),
        (StatusCode::SEE_OTHER, true)
    );
    let done = app
        .submit(
            &seated,
            &page,
            "add_material_link",
            &[
                ("offering_id", &offering.to_string()),
                ("title", "Mine"),
                ("url", "https://evil.example"),
            ],
        )
        .await;
    assert_eq!(done.error, Some(AppError::Forbidden));
    assert_eq!(material_count(app).await, 1);
    assert_eq!(ctx.files().len(), 1);

    // Once assigned to the class, the instructor opens and manages them.
    app::db::on_db!(&app.db, pool => sqlx::query("INSERT INTO offering_instructors (offering_id, user_id) VALUES ($1, $2)").bind(offering).bind(teacher).execute(pool).await.map(|_| ()).unwrap());
    assert_eq!(open(app, &instructor, &path).await.0, StatusCode::OK);
    assert_eq!(app.get(&instructor, &page).await.0, StatusCode::OK);
    let (_, _, html) = app
        .get(&instructor, &format!("/offerings/{offering}"))
        .await;
    assert!(html.contains("Add or remove materials"));
}

async fn refused_uploads_store_nothing(ctx: Ctx<'_>) {
    let app = ctx.app;
    let offering = class(app, 10).await;
    let other_session = meetings(app, class(app, 10).await).await[0];
    let admin = admin(app).await;
    let refused = |code: &str| {
        Some(format!(
            "/teach/offerings/{offering}/materials?refused={code}#add-file"
        ))
    };
    let title = ("title", "Handout");
    let mut oversize = PDF.to_vec();
    oversize.resize(20 * 1024 * 1024 + 1, b' ');
    let mut far_too_large = PDF.to_vec();
    far_too_large.resize(30 * 1024 * 1024, b' ');
    let session = other_session.to_string();
    // (the refusal's code, the form's fields, the file)
    type Case<'a> = (
        &'a str,
        Vec<(&'a str, &'a str)>,
        Option<(&'a str, &'a [u8])>,
    );
    let cases: Vec<Case> = vec![
        ("type", vec![title], Some(("setup.exe", b"MZ\x90\x00\x03"))),
        (
            "type",
            vec![title],
            Some(("page.html", b"<html><script>alert(1)</script>")),
        ),
        (
            "content",
            vec![title],
            Some(("fake.pdf", b"<html><script>alert(1)</script>")),
        ),
        ("content", vec![title], Some(("fake.png", PDF))),
        ("too_large", vec![title], Some(("big.pdf", &oversize))),
        ("too_large", vec![title], Some(("huge.pdf", &far_too_large))),
        ("empty", vec![title], Some(("empty.pdf", b""))),
        ("no_file", vec![title], Some(("", b""))),
        ("title", vec![("title", "  ")], Some(("ok.pdf", PDF))),
        (
            "session",
            vec![title, ("meeting_id", &session)],
            Some(("ok.pdf", PDF)),
        ),
    ];
    for (code, fields, file) in cases {
        let (status, location) = upload(app, &admin, offering, &fields, file).await;
        assert_eq!(
            (status, location),
            (StatusCode::SEE_OTHER, refused(code)),
            "{code}"
        );
    }
    assert_eq!(material_count(app).await, 0);
    assert_eq!(ctx.files(), Vec::<PathBuf>::new());
    assert_eq!(audit_count(app, "material.added").await, 0);

    // The page shows the message next to the file field.
    let page = format!("/teach/offerings/{offering}/materials");
    let (_, _, html) = app.get(&admin, &format!("{page}?refused=too_large")).await;
    assert!(
        html.contains("id=\"file-error\"") && html.contains("larger than 20 MB"),
        "{html}"
    );
    let (_, _, html) = app.get(&admin, &format!("{page}?refused=type")).await;
    assert!(html.contains("That type of file cannot be added"));

    // Links must be https, with a title.
    for url in [
        "http://cit.example/guide",
        "javascript:alert(1)",
        "https://user@evil.example",
        "",
    ] {
        let error = add_link(app, &admin, offering, "Guide", url).await.unwrap();
        assert!(error.field_message("url").is_some(), "{url}: {error:?}");
    }
    assert!(add_link(app, &admin, offering, "", "https://cit.example")
        .await
        .unwrap()
        .field_message("title-link")
        .is_some());
    assert_eq!(material_count(app).await, 0);
}

async fn removing_a_material_deletes_its_row_and_file(ctx: Ctx<'_>) {
    let app = ctx.app;
    let offering = class(app, 10).await;
    let admin = admin(app).await;
    let file = upload_pdf(app, &admin, offering, "Slides", "slides.pdf").await;
    let jane = attendee(app, offering, "jane@denver.gov").await;
    assert_eq!(ctx.files().len(), 1);
    let page = format!("/teach/offerings/{offering}/materials");

    // Not by someone who does not run the class.
    let done = app
        .submit(
            &jane,
            &page,
            "remove_material",
            &[("material_id", &file.to_string())],
        )
        .await;
    assert_eq!(done.error, Some(AppError::Forbidden));
    assert_eq!((material_count(app).await, ctx.files().len()), (1, 1));

    let done = app
        .submit(
            &admin,
            &page,
            "remove_material",
            &[("material_id", &file.to_string())],
        )
        .await;
    assert_eq!(done.error, None);
    assert_eq!(done.location, Some(format!("{page}?removed=1")));
    assert_eq!(material_count(app).await, 0);
    assert_eq!(ctx.files(), Vec::<PathBuf>::new());
    assert_eq!(audit_count(app, "material.removed").await, 1);
    assert_eq!(
        open(app, &jane, &format!("/materials/{file}")).await.0,
        StatusCode::NOT_FOUND
    );

    let again = app
        .submit(
            &admin,
            &page,
            "remove_material",
            &[("material_id", &file.to_string())],
        )
        .await;
    assert!(matches!(again.error, Some(AppError::NotFound(_))));
}

async fn file_names_cannot_climb_out_of_the_store(ctx: Ctx<'_>) {
    let app = ctx.app;
    let offering = class(app, 10).await;
    let admin = admin(app).await;
    let unique = format!("escape-{}.pdf", rand::random::<u32>());
    let sneaky = format!("../../../../../../tmp/{unique}");
    let file = upload_pdf(app, &admin, offering, "Sneaky", &sneaky).await;
    let windows = upload_pdf(app, &admin, offering, "Sneaky too", "..\\..\\..\\win.pdf").await;

    let filenames: Vec<String> = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT filename FROM course_materials ORDER BY id").fetch_all(pool).await.unwrap());
    assert_eq!(filenames, vec![unique.clone(), "win.pdf".to_owned()]);
    // Stored under random names inside the store, and nowhere else.
    let stored = ctx.files();
    assert_eq!(stored.len(), 2);
    for path in &stored {
        let name = path.file_name().unwrap().to_str().unwrap();
        assert!(
            name.len() == 32 && name.bytes().all(|b| b.is_ascii_hexdigit()),
            "{name}"
        );
    }
    assert!(!Path::new("/tmp").join(&unique).exists());
    assert!(!walk(ctx.data)
        .iter()
        .any(|p| p.ends_with(&unique) || p.ends_with("win.pdf")));

    let (_, _, headers, body) = open(app, &admin, &format!("/materials/{file}")).await;
    assert_eq!(body, PDF);
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        format!("attachment; filename=\"{unique}\"; filename*=UTF-8''{unique}").as_str()
    );
    let (_, _, headers, _) = open(app, &admin, &format!("/materials/{windows}")).await;
    assert!(headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"win.pdf\""));
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
