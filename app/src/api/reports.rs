//! Administrators' reports: registrations per month, fill and attendance rates per class,
//! pass rates per test and over time, certificates by standing, renewals per month; for one
//! course or all, over a range of days. Each is a chart, a table and a CSV.

use crate::{components::chart::ChartData, error::AppError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportsView {
    /// The filter as applied: a course code or "", and the range's days (YYYY-MM-DD).
    pub course: String,
    pub from: String,
    pub to: String,
    /// (code, title) of every course, for the filter.
    pub courses: Vec<(String, String)>,
    pub charts: Vec<ChartData>,
}

/// Every report for the filter (`from`/`to`: YYYY-MM-DD; by default the last twelve months).
#[server(prefix = "/api", endpoint = "admin_reports")]
pub async fn admin_reports(
    course: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<ReportsView, AppError> {
    crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let state = crate::state::app_state()?;
    let now = crate::clock::now();
    let filter = server::Filter::parse(course.as_deref(), from.as_deref(), to.as_deref(), now)?;
    server::build(&state.db, &filter, now).await
}

/// The courses for the filter form, shown even when the filter given was refused.
#[server(prefix = "/api", endpoint = "report_courses")]
pub async fn report_courses() -> Result<Vec<(String, String)>, AppError> {
    crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let state = crate::state::app_state()?;
    Ok(crate::db::reports::courses(&state.db).await?)
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::{
        components::chart::{ChartKind, Point},
        components::paging::link,
        db::{reports, Db},
        domain::{
            certificate::{issue_date, Status},
            report::{
                count_by_month, count_standings, percent, tally_by_month, DateRange, Standing,
            },
        },
    };
    use chrono::{DateTime, Utc};

    /// The reports' filter, parsed.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Filter {
        pub course: Option<String>,
        pub range: DateRange,
    }

    impl Filter {
        pub fn parse(
            course: Option<&str>,
            from: Option<&str>,
            to: Option<&str>,
            now: DateTime<Utc>,
        ) -> Result<Filter, AppError> {
            let course = course
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned);
            let range = DateRange::parse(from, to, issue_date(now))?;
            Ok(Filter { course, range })
        }

        /// The query string that gives this filter.
        fn params(&self) -> Vec<(&'static str, String)> {
            vec![
                ("course", self.course.clone().unwrap_or_default()),
                ("from", self.range.from.to_string()),
                ("to", self.range.to.to_string()),
            ]
        }
    }

    /// The CSV download of chart `id` under this filter.
    fn csv_path(id: &str, filter: &Filter) -> String {
        link(&format!("/admin/reports/{id}.csv"), &filter.params())
    }

    fn count_point(label: String, n: u64) -> Point {
        Point {
            label,
            value: Some(n),
            of: None,
        }
    }

    fn rate_point(label: String, part: u64, whole: u64) -> Point {
        Point {
            label,
            value: percent(part, whole),
            of: Some((part, whole)),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn chart(
        filter: &Filter,
        id: &str,
        title: &str,
        description: String,
        kind: ChartKind,
        percent: bool,
        category: &str,
        measure: &str,
        points: Vec<Point>,
    ) -> ChartData {
        ChartData {
            id: id.to_owned(),
            title: title.to_owned(),
            description,
            kind,
            percent,
            category: category.to_owned(),
            measure: measure.to_owned(),
            points,
            csv_path: csv_path(id, filter),
        }
    }

    /// The range in words, for the charts' descriptions.
    fn span(filter: &Filter) -> String {
        let course = filter
            .course
            .as_deref()
            .map(|c| format!("course {c}"))
            .unwrap_or_else(|| "all courses".to_owned());
        format!("{course}, {} to {}", filter.range.from, filter.range.to)
    }

    /// Every chart, in the page's order.
    pub async fn charts(
        db: &Db,
        filter: &Filter,
        now: DateTime<Utc>,
    ) -> Result<Vec<ChartData>, AppError> {
        let course = filter.course.as_deref();
        let (start, end) = filter.range.instants();
        let months = filter.range.months();
        let month_labels = || months.iter().map(|m| m.label());
        let span = span(filter);

        let made = reports::registrations_made(db, course, start, end).await?;
        let registrations = month_labels()
            .zip(count_by_month(&made, &months))
            .map(|(l, n)| count_point(l, n))
            .collect();

        let classes = reports::offerings(db, course, start, end).await?;
        let class_label = |o: &reports::OfferingFigures| {
            let day = issue_date(o.first_start).format("%b %-d, %Y");
            format!("{} {day}", o.course_code)
        };
        let fill = classes
            .iter()
            .map(|o| rate_point(class_label(o), count(o.seats_taken), count(o.capacity)))
            .collect();
        let attendance = classes
            .iter()
            .map(|o| rate_point(class_label(o), count(o.attended), count(o.marked)))
            .collect();

        let outcomes = reports::test_outcomes(db, course, start, end).await?;
        let pass_by_test = pass_rate_per_test(&outcomes);
        let tallies = tally_by_month(
            &outcomes
                .iter()
                .map(|o| (o.finished_at, o.passed))
                .collect::<Vec<_>>(),
            &months,
        );
        let pass_over_time = month_labels()
            .zip(tallies)
            .map(|(l, (p, n))| rate_point(l, p, n))
            .collect();

        let today = issue_date(now);
        let standings: Vec<Standing> = reports::certificate_states(db, course)
            .await?
            .into_iter()
            .map(|(status, expires_on)| {
                Standing::of(
                    Status::parse(&status).unwrap_or(Status::Active),
                    expires_on,
                    today,
                )
            })
            .collect();
        let certificates = Standing::ALL
            .iter()
            .zip(count_standings(&standings))
            .map(|(s, n)| count_point(s.label().to_owned(), n))
            .collect();

        let renewed = reports::renewals(db, course, start, end).await?;
        let renewals = month_labels()
            .zip(count_by_month(&renewed, &months))
            .map(|(l, n)| count_point(l, n))
            .collect();

        Ok(vec![
            chart(filter, "registrations", "Registrations per month",
                format!("Bar chart: registrations made each month (by the day they were made, Mountain Time, whatever became of them), {span}."),
                ChartKind::Bar, false, "Month", "Registrations", registrations),
            chart(filter, "fill-rate", "Fill rate per class",
                format!("Bar chart: seats taken as a share of capacity for each class whose first session falls in the range, labelled by course code and first day, {span}."),
                ChartKind::Bar, true, "Class", "Fill rate", fill),
            chart(filter, "attendance-rate", "Attendance rate per class",
                format!("Bar chart: of the attendance marked for each class's sessions, the share present, late, left early or made up, {span}."),
                ChartKind::Bar, true, "Class", "Attendance rate", attendance),
            chart(filter, "pass-rate", "Pass rate per test",
                format!("Bar chart: of the finished attempts with a final result, the share that passed, per course's test, {span}."),
                ChartKind::Bar, true, "Test", "Pass rate", pass_by_test),
            chart(filter, "pass-rate-by-month", "Pass rate over time",
                format!("Line chart: pass rate of the attempts finished each month; months without a finished attempt have no point, {span}."),
                ChartKind::Line, true, "Month", "Pass rate", pass_over_time),
            chart(filter, "certificates", "Certificates by standing today",
                format!("Bar chart: every certificate as it stands today, however long ago it was issued, {}.",
                    filter.course.as_deref().map(|c| format!("course {c}")).unwrap_or_else(|| "all courses".to_owned())),
                ChartKind::Bar, false, "Standing", "Certificates", certificates),
            chart(filter, "renewals", "Renewals per month",
                format!("Bar chart: coordinator certificates renewed each month, {span}."),
                ChartKind::Bar, false, "Month", "Renewals", renewals),
        ])
    }

    /// Counts are never negative in the database; a negative one is read as zero.
    fn count(n: i64) -> u64 {
        u64::try_from(n).unwrap_or(0)
    }

    /// One point per course that has finished attempts, in course order (rows come sorted).
    fn pass_rate_per_test(outcomes: &[reports::Outcome]) -> Vec<Point> {
        let mut points: Vec<(String, u64, u64)> = Vec::new();
        for o in outcomes {
            match points.last_mut() {
                Some((code, p, n)) if *code == o.code => {
                    *n += 1;
                    *p += u64::from(o.passed);
                }
                _ => points.push((o.code.clone(), u64::from(o.passed), 1)),
            }
        }
        points
            .into_iter()
            .map(|(code, p, n)| rate_point(format!("{code} test"), p, n))
            .collect()
    }

    pub async fn build(
        db: &Db,
        filter: &Filter,
        now: DateTime<Utc>,
    ) -> Result<ReportsView, AppError> {
        Ok(ReportsView {
            course: filter.course.clone().unwrap_or_default(),
            from: filter.range.from.to_string(),
            to: filter.range.to.to_string(),
            courses: reports::courses(db).await?,
            charts: charts(db, filter, now).await?,
        })
    }
}
