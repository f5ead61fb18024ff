//! The fixture world the matrix runs in, built once per database: one person per role, each
//! with records of their own, and another attendee whose records the others must not reach.
//! The instructor teaches one coordinator class: the 911 course's bank (a live question and a
//! scenario) and the files of people outside that class (a certificate, an invoice, CE
//! evidence) are what an instructor must not reach.

use super::table::Role;
use crate::common::{
    certified, exam,
    multipart::{post_form, PDF},
    Browser, TestApp, PASSWORD,
};
use std::collections::HashMap;

/// Sign-in addresses of the five roles' people (the visitor has none).
const ATTENDEE: &str = "ada.attendee@denver.gov";
const COORDINATOR: &str = "cora.coordinator@denver.gov";
const INSTRUCTOR: &str = "ian.instructor@cit.org";
/// `exam::objective_bank` creates this administrator.
const ADMIN: &str = "registrar@cit.org";
/// The other attendee, in a class the instructor does not teach.
const OTHER: &str = "olivia.other@boulder.gov";
/// A certified coordinator registered in the instructor's class.
const CLASSMATE: &str = "paul.passed@denver.gov";

pub struct World {
    /// Placeholder name (without braces) to value.
    pub values: HashMap<&'static str, String>,
    browsers: Vec<(Role, Browser)>,
}

impl World {
    pub async fn build(app: &TestApp) -> World {
        // A published two-question test for the coordinator course; creates the administrator.
        exam::objective_bank(app).await;

        // The attendee: registered in the first coordinator class, eligible, test taken.
        let (attendee, own_reg, offering) = exam::registered(app, "Ada Attendee", ATTENDEE).await;
        exam::make_eligible(app, own_reg, offering).await;
        // Wrong answers: a pass would issue a certificate, and the attendee is uncertified.
        let own_attempt = exam::take_test(app, &attendee, own_reg, "1").await;

        // Two more coordinator classes: the other attendee's, and a spare one that rows may
        // change (register into, cancel, remove a meeting of) without disturbing the rest.
        let others: Vec<i64> = app::db::on_db!(&app.db, pool => sqlx::query_scalar(
            "SELECT o.id FROM offerings o JOIN courses c ON c.id = o.course_id WHERE c.code = 'CITC' AND o.id <> $1 ORDER BY o.id LIMIT 2")
            .bind(offering).fetch_all(pool).await.expect("more coordinator classes"));
        let (other_offering, spare_offering) = (others[0], others[1]);

        let olivia = app.sign_up("Olivia Other", OTHER).await;
        let done = app
            .submit(
                &olivia,
                "/",
                "register",
                &[("offering_id", &other_offering.to_string())],
            )
            .await;
        assert_eq!(done.error, None, "other attendee registers");
        let other_reg: i64 = scalar(
            app,
            "SELECT r.id FROM registrations r JOIN users u ON u.id = r.user_id WHERE u.email = $1",
            OTHER,
        )
        .await;
        exam::make_eligible(app, other_reg, other_offering).await;
        // She passes: her certificate comes with a guide to ship.
        let other_attempt = exam::take_test(app, &olivia, other_reg, "0").await;
        // The certificate her pass issued (one active certificate per person and course).
        let other_cert = scalar(
            app,
            "SELECT c.id FROM certificates c JOIN users u ON u.id = c.user_id WHERE u.email = $1",
            OTHER,
        )
        .await;
        let other_user = scalar(app, "SELECT id FROM users WHERE email = $1", OTHER).await;

        // The certified coordinator: an attendee account holding an active certificate.
        let (coordinator, coord_cert) = certified::holder(
            app,
            "Cora Coordinator",
            COORDINATOR,
            certified::years_ago(1, 0),
            "active",
        )
        .await;

        // The instructor teaches the attendee's class only.
        let instructor_id = app.create_user(INSTRUCTOR, "instructor").await;
        app::db::on_db!(&app.db, pool => sqlx::query("INSERT INTO offering_instructors (offering_id, user_id) VALUES ($1, $2)")
            .bind(offering).bind(instructor_id).execute(pool).await.map(|_| ()).expect("teaches"));
        let instructor = signed_in(app, INSTRUCTOR).await;
        let admin = signed_in(app, ADMIN).await;
        let admin_id = scalar(app, "SELECT id FROM users WHERE email = $1", ADMIN).await;

        // Someone in the instructor's class who holds a certificate (earned before; the
        // class is the one the instructor teaches, whose people's files they may see).
        let paul = app.sign_up("Paul Passed", CLASSMATE).await;
        app.register(&paul, CLASSMATE, offering).await;
        let class_cert =
            certified::certify(app, CLASSMATE, certified::years_ago(1, 0), "active").await;

        // CE evidence files: the attendee's (in the instructor's class) and the other
        // attendee's (not), recorded as the administrators' form records them.
        let mut evidence = Vec::new();
        for email in [ATTENDEE, OTHER] {
            // Records matched by email attach only to a verified address (issue 22).
            let parsed = app::domain::email::Email::parse(email).unwrap();
            let user = app::db::users::find_by_email(&app.db, &parsed)
                .await
                .unwrap()
                .unwrap();
            app::db::users::mark_verified(&app.db, user.id, chrono::Utc::now())
                .await
                .unwrap();
            let today = certified::today().to_string();
            let fields = [
                ("email", email),
                ("title", "Regional CIT conference"),
                ("hours", "2"),
                ("completed_on", today.as_str()),
                ("evidence", "Certificate of attendance"),
            ];
            let (_, location) = post_form(
                app,
                &admin,
                "/admin/ce",
                "/admin/ce/record",
                &fields,
                Some(("attendance.pdf", PDF)),
            )
            .await;
            assert_eq!(
                location.as_deref(),
                Some("/admin/ce?added=1"),
                "CE evidence"
            );
            evidence.push(max_id(app, "ce_records").await);
        }

        // The 911 course's bank, which the instructor does not teach: a live question (its
        // answer key the pen test exported and changed) and a scenario group.
        let other_topic = scalar(app, "SELECT MIN(t.id) FROM course_topics t JOIN courses c ON c.id = t.course_id WHERE c.code = $1", "CIT911").await;
        let other_topic_text = other_topic.to_string();
        let fields = [
            ("code", "CIT911"),
            ("topic_id", other_topic_text.as_str()),
            ("group_id", ""),
            ("points", "1"),
            (
                "gift",
                "::Caller:: What comes first? {\n=Safety\n~Paperwork\n}",
            ),
        ];
        let other_question = added(app, &admin, "save_question", &fields, "questions").await;
        let other_question_text = other_question.to_string();
        let fields = [
            ("code", "CIT911"),
            ("question_id", other_question_text.as_str()),
            ("status", "active"),
        ];
        let done = app
            .submit(&admin, "/", "set_question_status", &fields)
            .await;
        assert_eq!(done.error, None, "the 911 question goes live");
        let fields = [
            ("code", "CIT911"),
            ("title", "Caller on the bridge"),
            ("vignette", "A caller on the bridge."),
            ("status", "draft"),
        ];
        let other_scenario = added(app, &admin, "save_scenario", &fields, "scenario_groups").await;
        // CE the coordinator did elsewhere, recorded without a file (evidence files and who
        // may download them are tested in renewal.rs).
        let coordinator_id =
            scalar(app, "SELECT id FROM users WHERE email = $1", COORDINATOR).await;
        let ce_record = app::db::ce_records::record_ce(
            &app.db,
            &app::db::ce_records::NewCeRecord {
                user_id: coordinator_id,
                title: "Crisis de-escalation refresher",
                hours: 2,
                completed_on: certified::today(),
                evidence: "Agency training log",
                file: None,
                approved: false,
            },
            admin_id,
            chrono::Utc::now(),
        )
        .await
        .expect("CE record");

        // Course materials in both classes, library resources (a link, a spare link for
        // removal, a page) and a scenario, added as the administrator does.
        let mut materials = Vec::new();
        for o in [offering, other_offering] {
            let o = o.to_string();
            let fields = [
                ("offering_id", o.as_str()),
                ("title", "Reading list"),
                ("url", "https://example.org/reading"),
            ];
            materials.push(
                added(
                    app,
                    &admin,
                    "add_material_link",
                    &fields,
                    "course_materials",
                )
                .await,
            );
        }
        let mut resources = Vec::new();
        for title in ["Data dashboard", "Old dashboard"] {
            let fields = [
                ("title", title),
                ("category", "data_collection"),
                ("summary", ""),
                ("url", "https://data.example.org/cit"),
            ];
            resources.push(added(app, &admin, "add_resource_link", &fields, "resources").await);
        }
        let fields = [
            ("title", "Starting a CIT program"),
            ("category", "data_collection"),
            ("summary", ""),
            ("body", "Start with partners."),
        ];
        resources.push(added(app, &admin, "add_resource_page", &fields, "resources").await);
        let fields = [
            ("code", "CITC"),
            ("title", "Caller on the overpass"),
            ("vignette", "A caller on the overpass."),
            ("status", "draft"),
        ];
        let scenario = added(app, &admin, "save_scenario", &fields, "scenario_groups").await;

        // Emailed links: a password reset for the other attendee, and her address check.
        app.submit(
            &app.browser(),
            "/forgot-password",
            "forgot_password",
            &[("email", OTHER)],
        )
        .await;
        let reset_link = app
            .emailed_link(OTHER, "reset_password")
            .await
            .expect("reset link");
        let verify_link = app
            .emailed_link(OTHER, "verify_email")
            .await
            .expect("verify link");

        let first_meeting = |o: i64| async move {
            scalar_i(
                app,
                "SELECT MIN(id) FROM meetings WHERE offering_id = $1",
                o,
            )
            .await
        };
        let first_item = |a: i64| async move {
            scalar_i(
                app,
                "SELECT MIN(id) FROM attempt_items WHERE attempt_id = $1",
                a,
            )
            .await
        };
        let code_of = |c: i64| async move {
            let code: String = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT verification_code FROM certificates WHERE id = $1")
                .bind(c).fetch_one(pool).await.expect("code"));
            code
        };
        let question = scalar(app, "SELECT MIN(q.id) FROM questions q JOIN courses c ON c.id = q.course_id WHERE c.code = $1", "CITC").await;
        let topic = scalar(app, "SELECT MIN(t.id) FROM course_topics t JOIN courses c ON c.id = t.course_id WHERE c.code = $1", "CITC").await;
        let shipment = max_id(app, "guide_shipments").await;
        // The other attendee's evaluation of her class, without consent to publish it.
        let evaluation: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar(
            "INSERT INTO evaluations (registration_id, offering_id, content, presenters, balance, relevance, overall, comment, submitted_at) \
             VALUES ($1, $2, 4, 4, 4, 4, 4, 'Useful.', $3) RETURNING id")
            .bind(other_reg).bind(other_offering).bind(chrono::Utc::now()).fetch_one(pool).await.expect("evaluation"));

        let mut values: HashMap<&'static str, String> = HashMap::new();
        let ids: [(&'static str, i64); 33] = [
            ("offering", offering),
            ("other_offering", other_offering),
            ("spare_offering", spare_offering),
            ("meeting", first_meeting(offering).await),
            ("other_meeting", first_meeting(other_offering).await),
            ("spare_meeting", first_meeting(spare_offering).await),
            ("own_reg", own_reg),
            ("other_reg", other_reg),
            ("own_attempt", own_attempt),
            ("other_attempt", other_attempt),
            ("own_item", first_item(own_attempt).await),
            ("other_item", first_item(other_attempt).await),
            ("coord_cert", coord_cert),
            ("other_cert", other_cert),
            ("material", materials[0]),
            ("other_material", materials[1]),
            ("resource", resources[0]),
            ("spare_resource", resources[1]),
            ("resource_page", resources[2]),
            ("scenario", scenario),
            ("question", question),
            ("topic", topic),
            ("shipment", shipment),
            ("admin_user", admin_id),
            ("other_user", other_user),
            ("ce_record", ce_record),
            ("evaluation", evaluation),
            ("class_cert", class_cert),
            ("class_ce", evidence[0]),
            ("other_ce", evidence[1]),
            ("other_question", other_question),
            ("other_topic", other_topic),
            ("other_scenario", other_scenario),
        ];
        for (name, id) in ids {
            values.insert(name, id.to_string());
        }
        values.insert("coord_code", code_of(coord_cert).await);
        values.insert("reset_link", reset_link);
        values.insert("verify_link", verify_link);
        values.insert("other_email", OTHER.to_owned());
        // A whole question in GIFT, whose braces the table's placeholders would take.
        values.insert(
            "rekeyed_gift",
            "::Re-keyed:: What comes first? {\n=Paperwork\n~Safety\n}".to_owned(),
        );

        World {
            values,
            browsers: vec![
                (Role::Visitor, app.browser()),
                (Role::Attendee, attendee),
                (Role::Coordinator, coordinator),
                (Role::Instructor, instructor),
                (Role::Admin, admin),
            ],
        }
    }

    /// The browser of `role`, signed in since the world was built.
    pub fn browser(&self, role: Role) -> &Browser {
        &self
            .browsers
            .iter()
            .find(|(r, _)| *r == role)
            .expect("every role has a browser")
            .1
    }

    /// A browser of `role` with a session of its own, for rows that end the session.
    pub async fn fresh_browser(app: &TestApp, role: Role) -> Browser {
        match role {
            Role::Visitor => app.browser(),
            Role::Attendee => signed_in(app, ATTENDEE).await,
            Role::Coordinator => signed_in(app, COORDINATOR).await,
            Role::Instructor => signed_in(app, INSTRUCTOR).await,
            Role::Admin => signed_in(app, ADMIN).await,
        }
    }

    /// `template` with every `{name}` replaced by its value; panics naming an unknown one.
    pub fn resolve(&self, template: &str) -> String {
        let mut out = String::new();
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            let end = rest[start..]
                .find('}')
                .map(|e| start + e)
                .unwrap_or_else(|| panic!("unclosed placeholder in {template}"));
            out.push_str(&rest[..start]);
            let name = &rest[start + 1..end];
            let value = self
                .values
                .get(name)
                .unwrap_or_else(|| panic!("unknown placeholder {{{name}}} in {template}"));
            out.push_str(value);
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    }
}

async fn signed_in(app: &TestApp, email: &str) -> Browser {
    let (b, done) = app.sign_in(email, PASSWORD).await;
    assert_eq!(done.error, None, "{email} signs in");
    b
}

async fn scalar(app: &TestApp, sql: &str, bind: &str) -> i64 {
    let found: Option<i64> = app::db::on_db!(&app.db, pool => sqlx::query_scalar(sql).bind(bind).fetch_one(pool).await.expect(sql));
    found.unwrap_or_else(|| panic!("nothing for {sql}"))
}

async fn scalar_i(app: &TestApp, sql: &str, bind: i64) -> i64 {
    let found: Option<i64> = app::db::on_db!(&app.db, pool => sqlx::query_scalar(sql).bind(bind).fetch_one(pool).await.expect(sql));
    found.unwrap_or_else(|| panic!("nothing for {sql}"))
}

/// Submits `function` as `who` (it must succeed); the newest id in `table`, which it added.
async fn added(
    app: &TestApp,
    who: &Browser,
    function: &str,
    fields: &[(&str, &str)],
    table: &str,
) -> i64 {
    let done = app.submit(who, "/", function, fields).await;
    assert_eq!(done.error, None, "{function} in the fixture");
    max_id(app, table).await
}

async fn max_id(app: &TestApp, table: &str) -> i64 {
    let sql = format!("SELECT MAX(id) FROM {table}");
    let found: Option<i64> = app::db::on_db!(&app.db, pool => sqlx::query_scalar(&sql).fetch_one(pool).await.expect("max id"));
    found.unwrap_or_else(|| panic!("no rows in {table}"))
}
