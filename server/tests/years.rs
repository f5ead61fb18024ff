//! Years in the life (issue 21): the real `cit-academy` program, stopped and started again at
//! later dates, carries three cohorts through registration, attendance, tests, certificates,
//! reminders, continuing education, renewal, a lapse and a late renewal over four simulated
//! years, while an administrator edits the course and its question bank between cohorts.
//! After every step the invariants are checked against the database and over HTTP: at most
//! one active certificate per person and course; membership standing equals certificate
//! standing; the resource area opens exactly to those in standing; every certificate change is
//! audited once; no message is queued or delivered twice.
//!
//! People act over HTTP as a browser without JavaScript does; classes and the question bank are
//! set up through the data layer, as an administrator's forms would.
//!

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::{
    db::{
        exams::{self, ExamRecord},
        offerings::NewOffering,
        on_db, questions,
    },
    domain::{
        course_form::{parse, CourseInput},
        question::{QuestionDraft, QuestionKind, QuestionStatus},
    },
};
use chrono::{Duration, Months, NaiveDate};
use common::{exam::single_choice, multipart::post_file_at, site::Site, Backend, Browser};
use reqwest::StatusCode;
use std::collections::{HashMap, HashSet};

const ADMIN: &str = "registrar@cit.org";
const TEACHER: &str = "teacher@cit.org";
const MEETING_URL: &str = "https://zoom.example/j/8675309";
/// Longer than any run seen; CI's two cores need the margin.
const LIMIT: std::time::Duration = std::time::Duration::from_secs(600);

#[test]
fn sqlite() {
    common::run_for(LIMIT, rehearse(Backend::Sqlite));
}

#[test]
fn postgres() {
    let Some(backend) = Backend::postgres() else {
        return;
    };
    common::run_for(LIMIT, rehearse(backend));
}

/// The whole rehearsal.
async fn rehearse(backend: Backend) {
    let mut r = Rehearsal::begin(backend).await;

    // Year 0: the first cohort. Cat waits for a seat that Dee gives up; Ben fails first.
    let c1 = Cohort {
        first: person("Ana Ruiz", "ana@denver.gov"),
        retaker: person("Ben Okafor", "ben@aurora.gov"),
        waitlisted: person("Cat Nguyen", "cat@boulder.gov"),
        canceller: person("Dee Marsh", "dee@golden.gov"),
        call_taker: person("Eve Stone", "eve@metro911.gov"),
    };
    r.cohort(&c1, 0).await;

    // Year 1: the administrator edits the course and the bank; the second cohort.
    r.restart_at(365).await;
    r.edit_bank().await;
    r.edit_course_fee_and_topics().await;
    let c2 = Cohort {
        first: person("Fay Lund", "fay@pueblo.gov"),
        retaker: person("Gus Ito", "gus@greeley.gov"),
        waitlisted: person("Hal Brandt", "hal@vail.gov"),
        canceller: person("Ivy Cole", "ivy@lamar.gov"),
        call_taker: person("Jo Park", "jo@metro911.gov"),
    };
    r.cohort(&c2, 370).await;

    // Year 2: the first cohort's renewal windows open (a reminder each); Ana and Ben attend
    // continuing education in their third year; Ana renews from her old expiry.
    let c1_expiry = r.expiry_of(&c1.first).await;
    let window_opens = r.day_of(c1_expiry.checked_sub_months(Months::new(12)).unwrap()) + 2;
    r.restart_at(window_opens).await;
    r.check_reminded(&c1.first, 1).await;
    r.continuing_education(&[&c1.first, &c1.retaker], window_opens + 60)
        .await;
    r.renew(&c1.first, c1_expiry).await;

    // Year 3: reminders before expiry, then the expiry job: Ben and Cat lapse, the resource
    // area closes to them; Ben renews late (inside the grace), Cat sits the course again.
    let lapse = r
        .expiry_of(&c1.waitlisted)
        .await
        .max(r.expiry_of(&c1.retaker).await);
    r.restart_at(r.day_of(lapse) - 29).await;
    r.restart_at(r.day_of(lapse) + 1).await;
    r.check_lapsed(&c1.retaker).await;
    r.check_lapsed(&c1.waitlisted).await;
    // Each reminder once: Cat the window, 30 days and expired; Ben (enough CE hours, so
    // nothing to remind of but renewing) the window and expired; Ana, renewed, the window.
    r.check_reminded(&c1.waitlisted, 3).await;
    r.check_reminded(&c1.retaker, 2).await;
    r.check_reminded(&c1.first, 1).await;
    let ben_expiry = r.expiry_of(&c1.retaker).await;
    r.restart_at(r.day_of(lapse) + 10).await;
    r.renew(&c1.retaker, ben_expiry).await;
    let c3 = Cohort {
        first: person("Kim Roe", "kim@salida.gov"),
        retaker: c1.waitlisted.clone(),
        waitlisted: person("Lee Wong", "lee@durango.gov"),
        canceller: person("Max Diaz", "max@delta.gov"),
        call_taker: person("Nia Hart", "nia@metro911.gov"),
    };
    let c3_day = r.day_of(lapse) + 20;
    r.cohort(&c3, c3_day).await;

    // Year 4: the second cohort, never renewed, lapses; everything still holds.
    let c2_lapse = r.expiry_of(&c2.first).await;
    r.restart_at(r.day_of(c2_lapse) + 1).await;
    r.check_lapsed(&c2.first).await;
    assert!(r.site.offset_days >= 4 * 365, "four simulated years");
    r.check("the end").await;
    r.site.finish().await;
}

#[derive(Clone)]
struct Person {
    name: &'static str,
    email: &'static str,
}

fn person(name: &'static str, email: &'static str) -> Person {
    Person { name, email }
}

/// One class's people: `first` passes at once, `retaker` fails then passes, `waitlisted`
/// gets the seat `canceller` gives up (fee waived, checks in by themself), `call_taker`
/// registers for the 911 course and waits for an administrator's approval.
struct Cohort {
    first: Person,
    retaker: Person,
    waitlisted: Person,
    canceller: Person,
    call_taker: Person,
}

/// An outbox row as the checks read it: (kind, to, subject, body, sent).
type Message = (String, String, String, String, bool);

/// A class scheduled by [`Rehearsal::schedule`].
struct Class {
    offering: i64,
    meetings: Vec<(i64, chrono::DateTime<chrono::Utc>)>,
}

struct Rehearsal {
    site: Site,
    admin_id: i64,
    teacher_id: i64,
    /// The rehearsal's first day: day numbers count from it.
    start: NaiveDate,
    /// Everyone who signed up, for the resource check.
    people: Vec<&'static str>,
    /// Browsers signed in since the last restart.
    signed_in: HashMap<String, Browser>,
    /// Every outbox row seen, by id and creation (the program prunes delivered mail after 90
    /// days, and SQLite then hands the ids out again).
    mail: HashMap<(i64, chrono::DateTime<chrono::Utc>), Message>,
}

impl Rehearsal {
    async fn begin(backend: Backend) -> Rehearsal {
        let site = Site::create(backend).await;
        site.add_user(ADMIN, "Rae Registrar", "admin");
        site.add_user(TEACHER, "Tom Teacher", "instructor");
        let id = |email: &'static str| {
            let db = site.db.clone();
            async move {
                on_db!(&db, pool => sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(pool).await.unwrap())
            }
        };
        let (admin_id, teacher_id) = (id(ADMIN).await, id(TEACHER).await);
        let start = site.today();
        let mut r = Rehearsal {
            site,
            admin_id,
            teacher_id,
            start,
            people: Vec::new(),
            signed_in: HashMap::new(),
            mail: HashMap::new(),
        };
        r.set_up_test().await;
        r.set_up_continuing_education().await;
        r.check("set-up").await;
        r
    }

    fn day_of(&self, date: NaiveDate) -> i64 {
        (date - self.start).num_days()
    }

    async fn restart_at(&mut self, day: i64) {
        self.site.settle().await;
        self.collect_mail().await;
        self.check_each_message_delivered_once();
        self.site.restart_at(day).await;
        self.signed_in.clear();
        self.check(&format!("restart at day {day}")).await;
    }

    /// The signed-in browser of `email` (signing in after a restart).
    async fn as_(&mut self, email: &str) -> Browser {
        if !self.signed_in.contains_key(email) {
            let b = self.site.sign_in(email).await;
            self.signed_in.insert(email.to_owned(), b);
        }
        self.signed_in[email].clone()
    }

    async fn scalar(&self, sql: &str, id: i64) -> i64 {
        on_db!(&self.site.db, pool => sqlx::query_scalar(sql).bind(id).fetch_one(pool).await.unwrap())
    }

    async fn user_id(&self, p: &Person) -> i64 {
        on_db!(&self.site.db, pool => sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(p.email).fetch_one(pool).await.unwrap())
    }

    // ---- set-up, as an administrator would through the forms -------------------------

    /// The coordinator test: two single-choice questions (the first option right) and an
    /// essay, all drawn in order; pass mark 75 %, two attempts a class, a day between them.
    /// `serve` loads no demonstration questions; retiring any is a guard that keeps the draw
    /// to these three.
    async fn set_up_test(&mut self) {
        let db = &self.site.db;
        let (course, topic) = citc_first_topic(db).await;
        on_db!(db, pool => sqlx::query("UPDATE questions SET status = 'retired' WHERE course_id = $1").bind(course).execute(pool).await.map(|_| ()).unwrap());
        let single = |stem: &str| single_choice(topic, stem);
        let essay = QuestionDraft {
            kind: QuestionKind::Essay,
            points: 2,
            options: Vec::new(),
            ..single("How would you open a call with a person in crisis?")
        };
        let qs = vec![
            single("Who belongs on a CIT steering committee?"),
            single("What does crisis system mapping show?"),
            essay,
        ];
        let now = self.site.now();
        questions::insert(
            db,
            course,
            &qs,
            QuestionStatus::Active,
            Some(self.admin_id),
            now,
        )
        .await
        .unwrap();
        let exam = ExamRecord {
            shuffle_questions: false,
            shuffle_options: false,
            pass_percent: 75,
            attempts_allowed: 2,
            wait_hours: 24,
            ..ExamRecord::defaults(course)
        };
        let blueprint = [(topic, 3)].into_iter().collect();
        exams::save(db, &exam, &blueprint, Some(self.admin_id), now)
            .await
            .unwrap();
        assert!(exams::publish(db, course, Some(self.admin_id), now)
            .await
            .unwrap());
    }

    /// A continuing-education course worth 4 hours, for active coordinators.
    async fn set_up_continuing_education(&mut self) {
        let input = CourseInput {
            code: "CITCE".into(),
            title: "CIT Coordinator Continuing Education".into(),
            kind: "continuing_education".into(),
            summary: "Four hours of continuing education for certified coordinators.".into(),
            description: "Case studies and program growth, live online.".into(),
            hours: "4".into(),
            fee: "0".into(),
            eligibility: "active_coordinator".into(),
            ce_hours: "4".into(),
            attendance_threshold: "90".into(),
            excused_counts: false,
            includes_membership: false,
            format: "Live online".into(),
            topic_rows: Vec::new(),
            new_topics: "Case studies\nProgram growth".into(),
        };
        let course = parse(&input).unwrap();
        app::db::courses::save(&self.site.db, None, &course, self.admin_id, self.site.now())
            .await
            .unwrap();
    }

    /// Schedules a class of `code` for `capacity` people, taught by the teacher, with one
    /// four-hour session a day from tomorrow: each ends ten minutes before this time of day
    /// (so a restart a day later finds it just ended), except that the second one starts
    /// five minutes before it (so a restart two days later finds it just begun: a self
    /// check-in then is on time and counts for the whole session). So every mark is for a
    /// session that has started and every report overlaps its session, as the attendance
    /// rules require.
    async fn schedule(&self, code: &str, capacity: i64, sessions: usize) -> Class {
        let db = &self.site.db;
        let course = app::db::courses::ids_by_code(db).await.unwrap()[code];
        let now = self.site.now();
        let meetings: Vec<_> = (1..=sessions as i64)
            .map(|day| {
                if day == 2 {
                    let start = now + Duration::days(day) - Duration::minutes(5);
                    (start, start + Duration::hours(4))
                } else {
                    let end = now + Duration::days(day) - Duration::minutes(10);
                    (end - Duration::hours(4), end)
                }
            })
            .collect();
        let new = NewOffering {
            course_id: course,
            zone: "America/Denver".into(),
            preset: "custom".into(),
            capacity,
            registration_opens_at: now - Duration::hours(1),
            registration_closes_at: meetings[0].0 - Duration::hours(1),
            meeting_url: MEETING_URL.into(),
            meetings: meetings.clone(),
            instructor_ids: vec![self.teacher_id],
        };
        let offering = app::db::offerings::insert(db, &new, Some(self.admin_id), now)
            .await
            .unwrap();
        let ids: Vec<i64> = on_db!(db, pool => sqlx::query_scalar("SELECT id FROM meetings WHERE offering_id = $1 ORDER BY starts_at").bind(offering).fetch_all(pool).await.unwrap());
        Class {
            offering,
            meetings: ids.into_iter().zip(meetings.iter().map(|m| m.0)).collect(),
        }
    }

    // ---- a cohort ------------------------------------------------------------------------

    async fn cohort(&mut self, c: &Cohort, day: i64) {
        if self.site.offset_days != day {
            self.restart_at(day).await;
        }
        let class = self.schedule("CITC", 3, 2).await;
        let dispatch = self.schedule("CIT911", 10, 2).await;
        self.register_with_waitlist(c, &class).await;
        self.register_call_taker(&c.call_taker, &dispatch).await;
        self.record_payments(c, &class).await;

        self.restart_at(day + 1).await;
        self.roll_call(&class, 0, &[&c.first]).await;
        self.import_zoom(&class, 0, &c.retaker).await;
        self.import_teams(&class, 0, &c.waitlisted).await;

        self.restart_at(day + 2).await;
        self.self_check_in(&class, 1, &c.waitlisted).await;
        // The self check-in counts as present: the roll call leaves that person unmarked.
        self.roll_call(&class, 1, &[&c.first, &c.retaker]).await;
        self.open_test_window(&class).await;
        self.sit_and_grade(&class, &c.first, true).await;
        self.sit_and_grade(&class, &c.waitlisted, true).await;
        self.sit_and_grade(&class, &c.retaker, false).await;
        self.check_retake_refused(&class, &c.retaker).await;

        self.restart_at(day + 3).await;
        self.sit_and_grade(&class, &c.retaker, true).await;
        self.site.settle().await;
        self.check_certified(&[&c.first, &c.retaker, &c.waitlisted])
            .await;
    }

    async fn registration(&self, p: &Person, offering: i64) -> (i64, String) {
        on_db!(&self.site.db, pool => sqlx::query_as("SELECT r.id, r.status FROM registrations r JOIN users u ON u.id = r.user_id WHERE u.email = $1 AND r.offering_id = $2 ORDER BY r.id DESC LIMIT 1").bind(p.email).bind(offering).fetch_one(pool).await.unwrap())
    }

    /// Signs `p` up, or in when they have an account (a returning coordinator).
    async fn arrive(&mut self, p: &Person) {
        if self.people.contains(&p.email) {
            self.as_(p.email).await;
        } else {
            let b = self.site.sign_up(p.name, p.email).await;
            self.people.push(p.email);
            self.signed_in.insert(p.email.to_owned(), b);
        }
    }

    async fn register(&mut self, p: &Person, offering: i64) {
        self.arrive(p).await;
        let page = format!("/offerings/{offering}");
        let id = offering.to_string();
        let b = &self.as_(p.email).await;
        self.site
            .submit_ok(b, &page, "register", &[("offering_id", &id)])
            .await;
    }

    /// Three seats: the first, the retaker and the canceller take them; the waitlisted
    /// person waits; the canceller cancels and the waitlisted person is promoted (and told).
    async fn register_with_waitlist(&mut self, c: &Cohort, class: &Class) {
        for p in [&c.first, &c.retaker, &c.canceller, &c.waitlisted] {
            self.register(p, class.offering).await;
            self.check(&format!("{} registers", p.name)).await;
        }
        assert_eq!(
            self.registration(&c.waitlisted, class.offering).await.1,
            "waitlisted"
        );
        let (seat, _) = self.registration(&c.canceller, class.offering).await;
        let b = &self.as_(c.canceller.email).await;
        let seat = seat.to_string();
        self.site
            .submit_ok(
                b,
                "/dashboard",
                "cancel_registration",
                &[("registration_id", &seat)],
            )
            .await;
        assert_eq!(
            self.registration(&c.waitlisted, class.offering).await.1,
            "confirmed",
            "the cancellation promotes the first on the waitlist"
        );
        self.check("a cancellation promotes the waitlist").await;
    }

    /// The 911 course asks for the call center; an administrator approves.
    async fn register_call_taker(&mut self, p: &Person, class: &Class) {
        self.arrive(p).await;
        let page = format!("/offerings/{}", class.offering);
        let id = class.offering.to_string();
        let b = &self.as_(p.email).await;
        let fields = [
            ("offering_id", id.as_str()),
            ("call_center", "Metro 911"),
            ("job_role", "Call-taker"),
            ("supervisor_contact", "Pat Kim, 555-0100"),
        ];
        self.site.submit_ok(b, &page, "register", &fields).await;
        let (registration, status) = self.registration(p, class.offering).await;
        assert_eq!(status, "pending_approval");
        let registration = registration.to_string();
        let admin = &self.as_(ADMIN).await;
        self.site
            .submit_ok(
                admin,
                "/admin/registrations",
                "decide_registration",
                &[
                    ("registration_id", &registration),
                    ("decision", "approve"),
                    ("reason", ""),
                ],
            )
            .await;
        assert_eq!(self.registration(p, class.offering).await.1, "confirmed");
        self.record_payment(p, class.offering, "paid", "purchase_order", "PO-911")
            .await;
        self.check("a 911 registration approved and paid").await;
    }

    async fn record_payments(&mut self, c: &Cohort, class: &Class) {
        self.record_payment(&c.first, class.offering, "paid", "check", "1001")
            .await;
        self.record_payment(&c.retaker, class.offering, "paid", "card_by_phone", "")
            .await;
        self.record_payment(&c.waitlisted, class.offering, "waived", "", "")
            .await;
        self.check_waived_document(&c.waitlisted, class.offering)
            .await;
        self.check("payments recorded, a fee waived").await;
    }

    async fn record_payment(
        &mut self,
        p: &Person,
        offering: i64,
        status: &str,
        method: &str,
        reference: &str,
    ) {
        let (registration, _) = self.registration(p, offering).await;
        let id = registration.to_string();
        let admin = &self.as_(ADMIN).await;
        self.site
            .submit_ok(
                admin,
                "/admin/offerings",
                "record_payment",
                &[
                    ("registration_id", &id),
                    ("payment_status", status),
                    ("payment_method", method),
                    ("payment_reference", reference),
                ],
            )
            .await;
        let audits = self
            .scalar(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'registration.payment_recorded' AND entity_id = $1",
                registration,
            )
            .await;
        assert_eq!(audits, 1, "one payment, one audit entry");
    }

    /// (issue 21, 9) a waived fee's document says "Fee waived", not "Invoice".
    async fn check_waived_document(&mut self, p: &Person, offering: i64) {
        let (registration, _) = self.registration(p, offering).await;
        let b = &self.as_(p.email).await;
        let path = format!("/registrations/{registration}/invoice");
        let (status, _, page) = self.site.get(b, &path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("Fee waived") && !page.contains("Invoice"),
            "{page}"
        );
    }

    // ---- attendance ------------------------------------------------------------------------

    /// The teacher's roll call of session `index`: everyone in `present` present, 240 minutes.
    async fn roll_call(&mut self, class: &Class, index: usize, present: &[&Person]) {
        let meeting = class.meetings[index].0;
        let mut fields = vec![("meeting_id".to_owned(), meeting.to_string())];
        for (i, p) in present.iter().enumerate() {
            let (registration, _) = self.registration(p, class.offering).await;
            fields.push((
                format!("rows[{i}][registration_id]"),
                registration.to_string(),
            ));
            fields.push((format!("rows[{i}][status]"), "present".into()));
            fields.push((format!("rows[{i}][minutes]"), "240".into()));
            fields.push((format!("rows[{i}][note]"), String::new()));
        }
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let page = format!("/teach/meetings/{meeting}");
        let teacher = &self.as_(TEACHER).await;
        self.site
            .submit_ok(teacher, &page, "save_roll_call", &fields)
            .await;
        for p in present {
            assert_eq!(self.mark(p, class, index).await.as_deref(), Some("present"));
        }
        self.check("a roll call").await;
    }

    async fn mark(&self, p: &Person, class: &Class, index: usize) -> Option<String> {
        let (registration, _) = self.registration(p, class.offering).await;
        on_db!(&self.site.db, pool => sqlx::query_scalar("SELECT status FROM attendance WHERE registration_id = $1 AND meeting_id = $2").bind(registration).bind(class.meetings[index].0).fetch_optional(pool).await.unwrap())
    }

    /// A Zoom participants export of session `index`: `p` on two connections, the teacher.
    async fn import_zoom(&mut self, class: &Class, index: usize, p: &Person) {
        let start = class.meetings[index].1;
        let at = |minutes: i64| local(start + Duration::minutes(minutes), "%m/%d/%Y %I:%M:%S %p");
        let mut csv =
            "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
                .to_owned();
        for (name, email, join, leave) in [
            ("Tom Teacher", TEACHER, -10, 245),
            (p.name, p.email, -2, 100),
            (p.name, p.email, 101, 240),
        ] {
            csv += &format!(
                "{name},{email},{},{},{},No\n",
                at(join),
                at(leave),
                leave - join
            );
        }
        self.import(class, index, "participants.csv", csv.into_bytes())
            .await;
        assert_eq!(self.mark(p, class, index).await.as_deref(), Some("present"));
        self.check("a Zoom report imported").await;
    }

    /// A Teams attendance report (tab-separated, numbered sections) of session `index`.
    async fn import_teams(&mut self, class: &Class, index: usize, p: &Person) {
        let start = class.meetings[index].1;
        let at = |minutes: i64| {
            local(
                start + Duration::minutes(minutes),
                "%-m/%-d/%y, %-I:%M:%S %p",
            )
        };
        let report = format!(
            "1. Summary\nMeeting title\tCIT Coordinator Certification\nStart time\t{s}\nEnd time\t{e}\n\n\
             2. Participants\nName\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tRole\n\
             Tom Teacher\t{s}\t{e}\t4h 5m 0s\t{TEACHER}\tOrganizer\n\
             {name}\t{j}\t{l}\t4h 0m 0s\t{email}\tAttendee\n",
            s = at(-5),
            e = at(240),
            j = at(0),
            l = at(240),
            name = p.name,
            email = p.email,
        );
        self.import(class, index, "attendance.csv", report.into_bytes())
            .await;
        assert_eq!(self.mark(p, class, index).await.as_deref(), Some("present"));
        self.check("a Teams report imported").await;
    }

    /// Uploads a meeting report, then applies the previewed draft.
    async fn import(&mut self, class: &Class, index: usize, file: &str, bytes: Vec<u8>) {
        let meeting = class.meetings[index].0.to_string();
        let page = format!("/teach/meetings/{meeting}/import");
        let base = self.site.base.clone();
        let teacher = &self.as_(TEACHER).await;
        let done = post_file_at(
            &base,
            teacher,
            "upload_attendance_report",
            &page,
            &[("meeting_id", &meeting)],
            ("report", file, &bytes),
        )
        .await;
        let draft = common::multipart::draft_of(&done);
        let preview = format!("{page}?draft={draft}");
        let teacher = &self.as_(TEACHER).await;
        self.site
            .submit_ok(
                teacher,
                &preview,
                "apply_attendance_import",
                &[("meeting_id", &meeting), ("draft", &draft)],
            )
            .await;
    }

    /// "Join session" during the live session checks `p` in and opens the meeting link; the
    /// check-in counts as present (a mark of its own, which the roll call leaves alone: the
    /// person then sits the test on it).
    async fn self_check_in(&mut self, class: &Class, index: usize, p: &Person) {
        let meeting = class.meetings[index].0;
        let b = &self.as_(p.email).await;
        let (status, location, _) = self.site.get(b, &format!("/join/{meeting}")).await;
        assert!(status.is_redirection(), "{status}");
        assert_eq!(location.as_deref(), Some(MEETING_URL));
        let (registration, _) = self.registration(p, class.offering).await;
        let check_ins = self
            .scalar(
                &format!("SELECT COUNT(*) FROM check_ins WHERE meeting_id = {meeting} AND registration_id = $1"),
                registration,
            )
            .await;
        assert_eq!(check_ins, 1);
        let marks = self
            .scalar(
                &format!("SELECT COUNT(*) FROM attendance WHERE meeting_id = {meeting} AND registration_id = $1 AND source = 'self_check_in' AND status = 'present'"),
                registration,
            )
            .await;
        assert_eq!(marks, 1, "the check-in counts as present");
        self.check("a self check-in").await;
    }

    // ---- tests -------------------------------------------------------------------------

    async fn open_test_window(&mut self, class: &Class) {
        let today = self.site.today();
        let (opens, closes) = (today.to_string(), (today + Duration::days(14)).to_string());
        let id = class.offering.to_string();
        let page = format!("/teach/offerings/{id}");
        let teacher = &self.as_(TEACHER).await;
        self.site
            .submit_ok(
                teacher,
                &page,
                "set_test_window",
                &[
                    ("offering_id", &id),
                    ("opens_on", &opens),
                    ("closes_on", &closes),
                ],
            )
            .await;
    }

    /// `p` sits the test (every answer right when `pass`, else wrong) and the teacher grades
    /// the essay (2 of 2 points, or 1); the result is final then.
    async fn sit_and_grade(&mut self, class: &Class, p: &Person, pass: bool) {
        let (registration, _) = self.registration(p, class.offering).await;
        let attempt = self.sit(p, registration, pass).await;
        let essay: i64 = on_db!(&self.site.db, pool => sqlx::query_scalar("SELECT i.id FROM attempt_items i JOIN questions q ON q.id = i.question_id WHERE i.attempt_id = $1 AND q.kind = 'essay'").bind(attempt).fetch_one(pool).await.unwrap());
        let (item, points) = (essay.to_string(), if pass { "2" } else { "1" });
        let page = format!("/teach/grading/{essay}");
        let teacher = &self.as_(TEACHER).await;
        self.site
            .submit_ok(
                teacher,
                &page,
                "grade_item",
                &[
                    ("item_id", &item),
                    ("points", points),
                    ("feedback", "Clear and calm."),
                    ("reason", ""),
                    ("next", ""),
                ],
            )
            .await;
        let status: String = on_db!(&self.site.db, pool => sqlx::query_scalar("SELECT status FROM attempts WHERE id = $1").bind(attempt).fetch_one(pool).await.unwrap());
        let passed: Option<bool> = on_db!(&self.site.db, pool => sqlx::query_scalar("SELECT passed FROM attempts WHERE id = $1").bind(attempt).fetch_one(pool).await.unwrap());
        assert_eq!(passed, Some(pass), "attempt {attempt} ({status})");
        self.check(&format!(
            "{} {} the test",
            p.name,
            if pass { "passes" } else { "fails" }
        ))
        .await;
    }

    /// Starts the test, answers each question by its kind, submits: the attempt's id.
    async fn sit(&mut self, p: &Person, registration: i64, right: bool) -> i64 {
        let id = registration.to_string();
        let b = &self.as_(p.email).await;
        let done = self
            .site
            .submit_ok(b, "/dashboard", "start_test", &[("registration_id", &id)])
            .await;
        let attempt: i64 = done
            .location
            .unwrap()
            .trim_start_matches("/attempts/")
            .parse()
            .unwrap();
        let kinds: Vec<(i64, String)> = on_db!(&self.site.db, pool => sqlx::query_as("SELECT i.position, q.kind FROM attempt_items i JOIN questions q ON q.id = i.question_id WHERE i.attempt_id = $1 ORDER BY i.position").bind(attempt).fetch_all(pool).await.unwrap());
        let page = format!("/attempts/{attempt}");
        for (seq, (position, kind)) in kinds.iter().enumerate() {
            let (field, value) = match kind.as_str() {
                "single" => ("single", if right { "0" } else { "1" }),
                _ => ("text", "I would introduce myself, slow down and listen."),
            };
            let (a, pos, s) = (
                attempt.to_string(),
                position.to_string(),
                (seq + 1).to_string(),
            );
            let b = &self.as_(p.email).await;
            self.site
                .submit_ok(
                    b,
                    &page,
                    "save_answer",
                    &[
                        ("attempt_id", &a),
                        ("position", &pos),
                        ("seq", &s),
                        (field, value),
                    ],
                )
                .await;
        }
        let a = attempt.to_string();
        let b = &self.as_(p.email).await;
        self.site
            .submit_ok(b, "/attempts", "submit_attempt", &[("attempt_id", &a)])
            .await;
        attempt
    }

    /// After a fail, a second attempt waits a day: refused, with the reason in the redirect
    /// (a form posted without JavaScript).
    async fn check_retake_refused(&mut self, class: &Class, p: &Person) {
        let (registration, _) = self.registration(p, class.offering).await;
        let id = registration.to_string();
        let b = &self.as_(p.email).await;
        let done = self
            .site
            .submit(b, "/dashboard", "start_test", &[("registration_id", &id)])
            .await;
        assert!(done.error.is_some(), "a retake inside the wait: {done:?}");
        self.check("a retake refused during the wait").await;
    }

    async fn check_certified(&mut self, people: &[&Person]) {
        for p in people {
            let user = self.user_id(p).await;
            let active = self
                .scalar(
                    "SELECT COUNT(*) FROM certificates WHERE user_id = $1 AND status = 'active' AND kind = 'coordinator'",
                    user,
                )
                .await;
            assert_eq!(active, 1, "{} holds a coordinator certificate", p.name);
        }
        self.check("certificates issued and announced").await;
    }

    // ---- between cohorts -----------------------------------------------------------------

    /// The teacher adds a question to the bank through the question form (GIFT), on a topic
    /// the test does not draw from, and retires it again.
    async fn edit_bank(&mut self) {
        let (course, _) = citc_first_topic(&self.site.db).await;
        let topics = app::db::courses::topics(&self.site.db, course)
            .await
            .unwrap();
        let topic = topics[1].0.to_string();
        let teacher = &self.as_(TEACHER).await;
        self.site
            .submit_ok(
                teacher,
                "/teach/bank/CITC/new",
                "save_question",
                &[
                    ("code", "CITC"),
                    ("topic_id", &topic),
                    ("group_id", ""),
                    ("points", "1"),
                    (
                        "gift",
                        "::Partners:: Who should sit on a CIT steering committee? {=Law enforcement, mental health and advocates ~Law enforcement only}",
                    ),
                ],
            )
            .await;
        let added: i64 = on_db!(&self.site.db, pool => sqlx::query_scalar("SELECT MAX(id) FROM questions WHERE course_id = $1").bind(course).fetch_one(pool).await.unwrap());
        let id = added.to_string();
        let teacher = &self.as_(TEACHER).await;
        self.site
            .submit_ok(
                teacher,
                "/teach/bank/CITC",
                "set_question_status",
                &[
                    ("code", "CITC"),
                    ("question_id", &id),
                    ("status", "retired"),
                ],
            )
            .await;
        self.check("the bank edited").await;
    }

    /// (issue 21, 2) The fee goes from $450 to $475 and a topic is renamed through the
    /// course form (one row per topic), on a course whose topics questions, the blueprint and
    /// attempts use: every topic keeps its id.
    async fn edit_course_fee_and_topics(&mut self) {
        let (course, _) = citc_first_topic(&self.site.db).await;
        let stored = app::db::courses::stored_topics(&self.site.db, course)
            .await
            .unwrap();
        let ids_before: Vec<i64> = stored.iter().map(|t| t.id).collect();
        // One row per topic, as the form posts them: the first renamed, the rest as stored.
        let mut fields: Vec<(String, String)> = [
            ("original_code", "CITC"),
            ("code", "CITC"),
            ("title", "CIT Coordinator Certification"),
            ("kind", "certification"),
            ("summary", "Certification for CIT program coordinators."),
            (
                "description",
                "Eight hours, live online, with the certification test.",
            ),
            ("hours", "8"),
            ("fee", "475"),
            ("eligibility", "anyone"),
            ("includes_membership", "on"),
            ("format", "Live online"),
            ("new_topics", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        for (i, t) in stored.iter().enumerate() {
            let title = if i == 0 {
                format!("{} (revised)", t.title)
            } else {
                t.title.clone()
            };
            fields.push((format!("topics[{i}][id]"), t.id.to_string()));
            fields.push((format!("topics[{i}][title]"), title));
            fields.push((format!("topics[{i}][position]"), t.position.to_string()));
            fields.push((format!("topics[{i}][state]"), t.status.as_str().to_owned()));
        }
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let admin = &self.as_(ADMIN).await;
        self.site
            .submit_ok(admin, "/admin/courses/CITC/edit", "save_course", &fields)
            .await;
        let after = app::db::courses::stored_topics(&self.site.db, course)
            .await
            .unwrap();
        assert_eq!(
            after.iter().map(|t| t.id).collect::<Vec<_>>(),
            ids_before,
            "every topic keeps its identity"
        );
        assert!(after[0].title.ends_with("(revised)"));
        let fee: i64 = on_db!(&self.site.db, pool => sqlx::query_scalar("SELECT fee_cents FROM courses WHERE code = 'CITC'").fetch_one(pool).await.unwrap());
        assert_eq!(fee, 47_500);
        self.check("the course edited").await;
    }

    // ---- renewal -------------------------------------------------------------------------

    async fn expiry_of(&self, p: &Person) -> NaiveDate {
        on_db!(&self.site.db, pool => sqlx::query_scalar("SELECT c.expires_on FROM certificates c JOIN users u ON u.id = c.user_id WHERE u.email = $1 AND c.kind = 'coordinator' ORDER BY c.id DESC LIMIT 1").bind(p.email).fetch_one(pool).await.unwrap())
    }

    /// `p` had exactly `n` renewal reminders so far.
    async fn check_reminded(&mut self, p: &Person, n: usize) {
        self.site.settle().await;
        self.collect_mail().await;
        let got = self
            .mail
            .values()
            .filter(|m| m.0 == "renewal_reminder" && m.1 == p.email)
            .count();
        assert_eq!(got, n, "renewal reminders to {}", p.email);
    }

    /// A one-session CE class on day `day`: `people` register, attend (roll call the next
    /// day), and so earn its hours inside their third year.
    async fn continuing_education(&mut self, people: &[&Person], day: i64) {
        self.restart_at(day).await;
        let class = self.schedule("CITCE", 20, 1).await;
        for p in people {
            self.register(p, class.offering).await;
            self.check(&format!("{} registers for CE", p.name)).await;
        }
        self.restart_at(day + 1).await;
        self.roll_call(&class, 0, people).await;
    }

    /// `p` renews from the dashboard; the new expiry is three years after `old_expiry`.
    async fn renew(&mut self, p: &Person, old_expiry: NaiveDate) {
        let b = &self.as_(p.email).await;
        self.site
            .submit_ok(b, "/dashboard", "renew_certificate", &[])
            .await;
        let expected = old_expiry.checked_add_months(Months::new(36)).unwrap();
        assert_eq!(
            self.expiry_of(p).await,
            expected,
            "renewed from the old expiry"
        );
        self.check(&format!("{} renews", p.name)).await;
    }

    /// `p`'s certificate expired, their membership ended, the resource area is closed.
    async fn check_lapsed(&mut self, p: &Person) {
        let user = self.user_id(p).await;
        let active = self
            .scalar(
                "SELECT COUNT(*) FROM certificates WHERE user_id = $1 AND status = 'active'",
                user,
            )
            .await;
        assert_eq!(active, 0, "{} lapsed", p.name);
        let b = &self.as_(p.email).await;
        assert_eq!(
            self.site.get(b, "/resources").await.0,
            StatusCode::FORBIDDEN
        );
    }

    // ---- the invariants ------------------------------------------------------------------

    /// Every invariant, after the step named `step`.
    async fn check(&mut self, step: &str) {
        let today = self.site.today();
        let standing = self.check_certificates_and_memberships(step, today).await;
        self.check_resource_access(step, &standing).await;
        self.check_audit(step).await;
        self.collect_mail().await;
        self.check_mail(step);
    }

    /// At most one active certificate per person and course; membership standing equals
    /// certificate standing. Returns the users in standing.
    async fn check_certificates_and_memberships(
        &self,
        step: &str,
        today: NaiveDate,
    ) -> HashSet<i64> {
        type Cert = (i64, i64, i64, String, String, NaiveDate);
        let certs: Vec<Cert> = on_db!(&self.site.db, pool => sqlx::query_as("SELECT id, user_id, course_id, kind, status, expires_on FROM certificates").fetch_all(pool).await.unwrap());
        let memberships: Vec<(i64, i64, String, NaiveDate)> = on_db!(&self.site.db, pool => sqlx::query_as("SELECT user_id, certificate_id, status, ends_on FROM memberships").fetch_all(pool).await.unwrap());
        let mut active = HashSet::new();
        for (_, user, course, _, status, _) in &certs {
            if status == "active" {
                assert!(
                    active.insert((*user, *course)),
                    "{step}: user {user} holds two active certificates of course {course}"
                );
            }
        }
        let in_standing: HashSet<i64> = certs
            .iter()
            .filter(|c| c.3 == "coordinator" && c.4 == "active" && c.5 >= today)
            .map(|c| c.1)
            .collect();
        let members: HashSet<i64> = memberships
            .iter()
            .filter(|m| m.2 == "active" && m.3 >= today)
            .map(|m| m.0)
            .collect();
        assert_eq!(
            in_standing, members,
            "{step}: members are those in standing"
        );
        for (user, certificate, status, ends_on) in &memberships {
            let cert = certs.iter().find(|c| c.0 == *certificate).unwrap();
            assert_eq!(cert.1, *user, "{step}: a membership follows its holder");
            if status == "active" {
                assert_eq!(
                    (cert.4.as_str(), cert.5),
                    ("active", *ends_on),
                    "{step}: an active membership ends on its certificate's expiry"
                );
            }
        }
        in_standing
    }

    /// `GET /resources` answers 200 to those in standing and 403 to everyone else.
    async fn check_resource_access(&mut self, step: &str, standing: &HashSet<i64>) {
        for email in self.people.clone() {
            let user: i64 = on_db!(&self.site.db, pool => sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(pool).await.unwrap());
            let expected = if standing.contains(&user) {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            let b = &self.as_(email).await;
            let (status, _, _) = self.site.get(b, "/resources").await;
            assert_eq!(status, expected, "{step}: /resources for {email}");
        }
    }

    /// Each certificate's issue audited once, each renewal once, an expiry at most once (and
    /// once for every expired certificate); no certificate or registration change audited
    /// twice (an exam published twice is two events, so not every action qualifies).
    async fn check_audit(&self, step: &str) {
        type Row = (i64, String, i64, i64, i64, i64);
        let rows: Vec<Row> = on_db!(&self.site.db, pool => sqlx::query_as(
            "SELECT c.id, c.status, c.renewals, \
             (SELECT COUNT(*) FROM audit_log a WHERE a.entity = 'certificate' AND a.entity_id = c.id AND a.action = 'certificate.issued'), \
             (SELECT COUNT(*) FROM audit_log a WHERE a.entity = 'certificate' AND a.entity_id = c.id AND a.action = 'certificate.renewed'), \
             (SELECT COUNT(*) FROM audit_log a WHERE a.entity = 'certificate' AND a.entity_id = c.id AND a.action = 'certificate.expired') \
             FROM certificates c").fetch_all(pool).await.unwrap());
        for (id, status, renewals, issued, renewed, expired) in rows {
            assert_eq!(issued, 1, "{step}: certificate {id} issue audited once");
            assert_eq!(
                renewed, renewals,
                "{step}: certificate {id} renewals audited"
            );
            let expected = i64::from(status == "expired");
            assert!(
                expired == expected || (status == "active" && renewals > 0 && expired == 1),
                "{step}: certificate {id} ({status}) expiry audited {expired} times"
            );
        }
        let twice: Vec<(String, Option<i64>)> = on_db!(&self.site.db, pool => sqlx::query_as(
            "SELECT action, entity_id FROM audit_log WHERE action LIKE 'certificate.%' OR action LIKE 'registration.%' \
             GROUP BY action, entity, entity_id, before_value, after_value HAVING COUNT(*) > 1").fetch_all(pool).await.unwrap());
        assert!(twice.is_empty(), "{step}: audited twice: {twice:?}");
    }

    /// Remembers every outbox row (delivered mail is pruned after 90 days).
    async fn collect_mail(&mut self) {
        let rows = app::db::outbox::recent(&self.site.db, 100_000)
            .await
            .unwrap();
        for r in rows {
            self.mail.insert(
                (r.id, r.created_at),
                (
                    r.kind,
                    r.to_address,
                    r.subject,
                    r.body_text,
                    r.sent_at.is_some(),
                ),
            );
        }
    }

    /// No message queued twice, and no message delivered twice (the sink holds every
    /// delivery of the rehearsal).
    fn check_mail(&self, step: &str) {
        let mut seen = HashSet::new();
        for (kind, to, subject, body, _) in self.mail.values() {
            assert!(
                seen.insert((kind, to, subject, body)),
                "{step}: {kind} to {to} queued twice: {subject}"
            );
        }
        let delivered = self.mail.values().filter(|m| m.4).count();
        let received = self.site.mail.messages().len();
        assert!(
            received <= self.mail.len() && received >= delivered,
            "{step}: {received} deliveries for {delivered} messages marked sent of {}",
            self.mail.len()
        );
    }
}

impl Rehearsal {
    /// With the outbox empty, the sink got exactly one delivery per message sent.
    fn check_each_message_delivered_once(&self) {
        let delivered = self.mail.values().filter(|m| m.4).count();
        assert_eq!(delivered, self.mail.len(), "every message sent");
        let received = self.site.mail.messages();
        let subjects: Vec<String> = received
            .iter()
            .map(|m| {
                let subject = m.data.lines().find(|l| l.starts_with("Subject:"));
                format!("{:?} {}", m.to, subject.unwrap_or_default())
            })
            .collect();
        assert_eq!(
            received.len(),
            delivered,
            "each message delivered once: {subjects:#?}"
        );
    }
}

/// The coordinator course and its first topic.
async fn citc_first_topic(db: &app::db::Db) -> (i64, i64) {
    on_db!(db, pool => sqlx::query_as("SELECT c.id, t.id FROM courses c JOIN course_topics t ON t.course_id = c.id WHERE c.code = 'CITC' ORDER BY t.position LIMIT 1").fetch_one(pool).await.unwrap())
}

/// `at` in the classes' zone, as meeting reports write it.
fn local(at: chrono::DateTime<chrono::Utc>, format: &str) -> String {
    at.with_timezone(&chrono_tz::America::Denver)
        .format(format)
        .to_string()
}
