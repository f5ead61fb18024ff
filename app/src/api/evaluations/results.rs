//! The server side of evaluation results (per class, per course), publishing testimonials,
//! and the published ones. Results are anonymous: figures, and comments without names; an
//! administrator also sees the signature a consented comment would be published with.

use super::{send::class_label, ClassRow, CommentView, ItemResult, ResultsView, Testimonial};
use crate::{
    components::chart::{ChartData, ChartKind, Point},
    db::{
        self,
        evaluations::{ClassLine, CommentRow, Published, Scope},
    },
    domain::{
        evaluation::{response_text, summarize, Item, ItemSummary},
        role::Role,
        schedule::parse_zone,
        time_display::describe_instant,
    },
    error::AppError,
    model::CurrentUser,
};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// How many testimonials the course page shows.
const TESTIMONIALS_SHOWN: i64 = 6;

fn zone(line: &ClassLine) -> chrono_tz::Tz {
    parse_zone(&line.zone).unwrap_or(chrono_tz::America::Denver)
}

/// The chart (and table) of how many chose each rating of `item`.
fn item_result(item: Item, summary: ItemSummary) -> ItemResult {
    let answers = summary.answers();
    let mean = summary.mean_text();
    let scale = item.scale();
    let chart = ChartData {
        id: format!("item-{}", item.key()),
        title: item.name().to_owned(),
        description: format!(
            "How many of the {answers} people who rated “{}” chose each rating, from {} to {}. Mean: {mean} of 5.",
            item.statement(),
            scale[0],
            scale[4]
        ),
        kind: ChartKind::Bar,
        percent: false,
        category: "Rating".to_owned(),
        measure: "People".to_owned(),
        points: (1u8..=5)
            .zip(summary.counts)
            .map(|(r, n)| Point {
                label: item.label(r).to_owned(),
                value: Some(n),
                of: None,
            })
            .collect(),
        csv_path: String::new(),
    };
    ItemResult {
        name: item.name().to_owned(),
        statement: item.statement().to_owned(),
        mean,
        answers,
        chart,
    }
}

/// What a results page shows of `lines` (its classes), their ratings and comments.
struct Gathered {
    lines: Vec<ClassLine>,
    ratings: Vec<(i64, [u8; 5])>,
    comments: Vec<CommentRow>,
}

async fn gather(scope: Scope, ended_by: Option<DateTime<Utc>>) -> Result<Gathered, AppError> {
    let db = &crate::state::app_state()?.db;
    let lines = db::evaluations::class_lines(db, scope, ended_by).await?;
    let shown = |o: &i64| lines.iter().any(|l| l.offering_id == *o);
    let ratings = db::evaluations::ratings(db, scope)
        .await?
        .into_iter()
        .filter(|(o, _)| shown(o))
        .collect();
    let comments = db::evaluations::comments(db, scope)
        .await?
        .into_iter()
        .filter(|c| shown(&c.offering_id))
        .collect();
    Ok(Gathered {
        lines,
        ratings,
        comments,
    })
}

/// What a results page says of what it shows.
struct Heading {
    course_code: String,
    course_title: String,
    offering_id: Option<i64>,
    scope: String,
    note: Option<String>,
}

/// The page of `g`: the figures overall, per item, and (a course's) per class; the comments,
/// with their signatures for administrators, who may publish them from a course's results.
fn view(g: Gathered, heading: Heading, admin: bool) -> ResultsView {
    let per_class = heading.offering_id.is_none();
    let labels: HashMap<i64, String> = g
        .lines
        .iter()
        .map(|l| (l.offering_id, class_label(Some(l.first_starts_at), zone(l))))
        .collect();
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    let invited: u64 = g.lines.iter().map(|l| count(l.invited)).sum();
    let responses: u64 = g.lines.iter().map(|l| count(l.responses)).sum();
    let all: Vec<[u8; 5]> = g.ratings.iter().map(|(_, r)| *r).collect();
    let items = Item::ALL
        .into_iter()
        .zip(summarize(&all))
        .map(|(item, s)| item_result(item, s))
        .collect();
    let classes = if per_class {
        g.lines
            .iter()
            .map(|l| {
                let own: Vec<[u8; 5]> = g
                    .ratings
                    .iter()
                    .filter(|(o, _)| *o == l.offering_id)
                    .map(|(_, r)| *r)
                    .collect();
                ClassRow {
                    offering_id: l.offering_id,
                    label: labels.get(&l.offering_id).cloned().unwrap_or_default(),
                    responses: response_text(count(l.responses), count(l.invited)),
                    means: summarize(&own).iter().map(|s| s.mean_text()).collect(),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let comments = g
        .comments
        .into_iter()
        .map(|c| CommentView {
            id: c.id,
            class: labels.get(&c.offering_id).cloned().unwrap_or_default(),
            text: c.comment,
            consent: c.consent,
            published: c.published_at.is_some(),
            signature: (admin && c.consent).then_some(c.attribution),
        })
        .collect();
    ResultsView {
        course_code: heading.course_code,
        course_title: heading.course_title,
        offering_id: heading.offering_id,
        scope: heading.scope,
        responses: response_text(responses, invited),
        note: heading.note,
        items,
        classes,
        comments,
        may_publish: admin && per_class,
    }
}

/// One class's results (the caller runs the class).
pub async fn for_offering(offering_id: i64) -> Result<ResultsView, AppError> {
    let db = &crate::state::app_state()?.db;
    let (offering, _) = db::offerings::find(db, offering_id)
        .await?
        .ok_or_else(|| AppError::NotFound("We could not find that class.".into()))?;
    let scope = Scope {
        offering_id: Some(offering_id),
        ..Scope::default()
    };
    let g = gather(scope, None).await?;
    let now = crate::clock::now();
    let note = match g.lines.first() {
        None => Some("This class has no sessions, so there is nothing to evaluate yet.".to_owned()),
        Some(l) if l.last_ends_at > now => Some(format!(
            "The class has not ended: its people are asked to evaluate it when its last session ends, on {}.",
            describe_instant(l.last_ends_at, zone(l))
        )),
        Some(l) if l.responses == 0 => Some("Nobody has sent an evaluation yet.".to_owned()),
        Some(_) => None,
    };
    let scope_text = g
        .lines
        .first()
        .map(|l| class_label(Some(l.first_starts_at), zone(l)))
        .unwrap_or_default();
    let heading = Heading {
        course_code: offering.course_code,
        course_title: offering.course_title,
        offering_id: Some(offering_id),
        scope: scope_text,
        note,
    };
    // Names (the signatures of consented comments) only where comments are published.
    Ok(view(g, heading, false))
}

/// A course's results over the classes that ended: administrators see every class, an
/// instructor only the classes they teach. The caller has checked that `user` is the course's
/// staff (`require_course_staff`).
pub async fn for_course(
    user: &CurrentUser,
    code: &str,
    now: DateTime<Utc>,
) -> Result<ResultsView, AppError> {
    let db = &crate::state::app_state()?.db;
    let (course_id, course_title) = db::courses::id_and_title(db, code)
        .await?
        .ok_or_else(|| AppError::NotFound("We could not find that course.".into()))?;
    let admin = user.role.allows(Role::Admin);
    let scope = Scope {
        course_id: Some(course_id),
        instructor_id: (!admin).then_some(user.id),
        ..Scope::default()
    };
    let g = gather(scope, Some(now)).await?;
    let n = g.lines.len();
    let classes = if n == 1 { "class" } else { "classes" };
    let scope_text = if admin {
        format!("{n} {classes} that have ended")
    } else {
        format!("The {n} {classes} you teach that have ended")
    };
    let note = if n == 0 {
        Some("No class has ended yet, so there is nothing to show.".to_owned())
    } else if g.ratings.is_empty() {
        Some("Nobody has sent an evaluation yet.".to_owned())
    } else {
        None
    };
    let heading = Heading {
        course_code: code.trim().to_uppercase(),
        course_title,
        offering_id: None,
        scope: scope_text,
        note,
    };
    Ok(view(g, heading, admin))
}

/// Publishes or withdraws a comment; the course's code, for the way back.
pub async fn publish(
    actor: i64,
    evaluation_id: i64,
    publish: bool,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let db = &crate::state::app_state()?.db;
    match db::evaluations::set_published(db, evaluation_id, publish, actor, now).await? {
        Published::Done { course_code } => Ok(course_code),
        Published::NotFound => Err(AppError::NotFound("We could not find that comment.".into())),
        Published::NoConsent => Err(AppError::Conflict(
            "This comment cannot be published: its author did not agree to publication.".into(),
        )),
    }
}

pub async fn testimonials(code: &str) -> Result<Vec<Testimonial>, AppError> {
    let db = &crate::state::app_state()?.db;
    Ok(db::evaluations::testimonials(db, code, TESTIMONIALS_SHOWN)
        .await?
        .into_iter()
        .map(|(text, signature)| Testimonial { text, signature })
        .collect())
}
