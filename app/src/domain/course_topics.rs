//! What a course save does to each of its topics.
//!
//! A topic keeps its identity (its id) for life: questions, the test's blueprint and, through
//! the questions, every attempt point at it. So an administrator's edit is planned row by row:
//! a topic is renamed, moved, retired or brought back in place; a topic nothing uses may be
//! deleted; a topic in use may not (retiring it is the way to stop offering it). Topics the
//! form did not post are left exactly as they are, so a form that is out of date never removes
//! anything.

use serde::{Deserialize, Serialize};
use std::{collections::HashSet, fmt};

/// The most topics a course may have, retired ones included.
pub const MAX_TOPICS: usize = 100;
/// The longest topic title, in characters.
pub const MAX_TITLE: usize = 200;

/// Whether a topic is offered for new questions and blueprints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TopicStatus {
    Active,
    /// Kept for history (its questions, attempts and reports), offered for nothing new.
    Retired,
}

impl TopicStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TopicStatus::Active => "active",
            TopicStatus::Retired => "retired",
        }
    }
}

impl std::str::FromStr for TopicStatus {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "active" => Ok(TopicStatus::Active),
            "retired" => Ok(TopicStatus::Retired),
            _ => Err(UnknownStatus(s.to_owned())),
        }
    }
}

/// A status column value this version does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownStatus(pub String);

impl fmt::Display for UnknownStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown topic status {:?}", self.0)
    }
}

impl std::error::Error for UnknownStatus {}

/// A topic as stored, with what uses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredTopic {
    pub id: i64,
    pub title: String,
    pub position: i64,
    pub status: TopicStatus,
    /// Question versions on this topic, of any status (attempts point at these).
    pub questions: i64,
    /// How many questions the test's blueprint draws from it.
    pub drawn: i64,
}

impl StoredTopic {
    /// Whether anything points at the topic, so that it may be retired but not deleted.
    pub fn in_use(&self) -> bool {
        self.questions > 0 || self.drawn > 0
    }
}

/// One existing topic's row of the course form, as posted (`topics[i][id]`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicRowInput {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub title: String,
    /// The place in the list, from 1; blank keeps the topic's place.
    #[serde(default)]
    pub position: String,
    /// `active`, `retired` or `delete`.
    #[serde(default)]
    pub state: String,
}

/// A topic after the save: an existing one (`id`) or a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedTopic {
    pub id: Option<i64>,
    pub title: String,
    /// 1, 2, 3, ... with no gaps, retired topics included.
    pub position: i64,
    pub status: TopicStatus,
}

/// Everything a save does to the topics of one course.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TopicPlan {
    /// Every topic that remains, in its new order.
    pub topics: Vec<PlannedTopic>,
    /// Unused topics to delete.
    pub deleted: Vec<i64>,
}

impl TopicPlan {
    /// What changed, for the audit log ("2 renamed, 1 added"); empty when nothing did.
    pub fn summary(&self, stored: &[StoredTopic]) -> String {
        let (mut renamed, mut moved, mut retired, mut restored, mut added) = (0, 0, 0, 0, 0);
        for t in &self.topics {
            let Some(before) = t.id.and_then(|id| stored.iter().find(|s| s.id == id)) else {
                added += 1;
                continue;
            };
            renamed += usize::from(before.title != t.title);
            moved += usize::from(before.position != t.position);
            retired += usize::from(
                before.status == TopicStatus::Active && t.status == TopicStatus::Retired,
            );
            restored += usize::from(
                before.status == TopicStatus::Retired && t.status == TopicStatus::Active,
            );
        }
        [
            (renamed, "renamed"),
            (moved, "moved"),
            (added, "added"),
            (retired, "retired"),
            (restored, "restored"),
            (self.deleted.len(), "deleted"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// Why a save's topics were refused: the form field the message goes next to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicRefusal {
    pub field: String,
    pub message: String,
}

impl TopicRefusal {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The name of a field of row `i` of the form (`topics[3][state]`), as the form posts it and
/// as refusals name it.
pub fn row_field(i: usize, part: &str) -> String {
    format!("topics[{i}][{part}]")
}

/// The field for new topics, one per line.
pub const NEW_TOPICS: &str = "new_topics";

/// The titles typed into the "new topics" field: one per line, blank lines ignored.
pub fn new_titles(typed: &str) -> Vec<String> {
    typed
        .lines()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Plans a save: `stored` is the course's topics now (empty for a new course), `rows` the
/// form's rows for existing topics, `added` the new titles in the order typed.
///
/// The rules: every row must name a topic of this course, once; a title may not be blank or
/// repeat another topic's (case aside: GIFT imports find topics by title); a topic in use may
/// be retired, never deleted; at least one topic stays active. The new order sorts topics by
/// the position typed (blank: where it was), a topic moved to a place before the one already
/// there, and new topics go last; positions are then renumbered 1, 2, 3...
pub fn plan(
    stored: &[StoredTopic],
    rows: &[TopicRowInput],
    added: &[String],
) -> Result<TopicPlan, TopicRefusal> {
    let mut seen: HashSet<i64> = HashSet::new();
    // (requested position, not moved, old position, topic, the field its title came from)
    let mut kept: Vec<(i64, bool, i64, PlannedTopic, String)> = Vec::new();
    let mut deleted = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let title_field = row_field(i, "title");
        let Some(before) = row
            .id
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|id| stored.iter().find(|s| s.id == id))
        else {
            return Err(TopicRefusal::new(
                title_field,
                "This topic is no longer part of the course. Reload the page and make the change again.",
            ));
        };
        if !seen.insert(before.id) {
            return Err(TopicRefusal::new(
                title_field,
                "This topic appears twice in the form. Reload the page and make the change again.",
            ));
        }
        let status = match row.state.trim() {
            "delete" if before.in_use() => {
                return Err(TopicRefusal::new(
                    row_field(i, "state"),
                    in_use_message(before),
                ))
            }
            "delete" => {
                deleted.push(before.id);
                continue;
            }
            "active" => TopicStatus::Active,
            "retired" => TopicStatus::Retired,
            _ => {
                return Err(TopicRefusal::new(
                    row_field(i, "state"),
                    "Choose active, retired or delete.",
                ))
            }
        };
        let title = checked_title(&row.title, &title_field)?;
        let requested = match row.position.trim() {
            "" => before.position,
            typed => typed
                .parse::<i64>()
                .ok()
                .filter(|p| (1..=MAX_TOPICS as i64).contains(p))
                .ok_or_else(|| {
                    TopicRefusal::new(
                        row_field(i, "position"),
                        format!(
                            "Enter a place from 1 to {MAX_TOPICS}, or leave it blank to keep this topic where it is."
                        ),
                    )
                })?,
        };
        kept.push((
            requested,
            requested == before.position,
            before.position,
            PlannedTopic {
                id: Some(before.id),
                title,
                position: 0,
                status,
            },
            title_field,
        ));
    }
    // Topics the form did not post stay as they are.
    for s in stored.iter().filter(|s| !seen.contains(&s.id)) {
        kept.push((
            s.position,
            true,
            s.position,
            PlannedTopic {
                id: Some(s.id),
                title: s.title.clone(),
                position: 0,
                status: s.status,
            },
            NEW_TOPICS.to_owned(),
        ));
    }
    kept.sort_by_key(|(requested, unmoved, old, ..)| (*requested, *unmoved, *old));
    for title in added {
        let title = checked_title(title, NEW_TOPICS)?;
        kept.push((
            i64::MAX,
            true,
            i64::MAX,
            PlannedTopic {
                id: None,
                title,
                position: 0,
                status: TopicStatus::Active,
            },
            NEW_TOPICS.to_owned(),
        ));
    }
    let mut titles: HashSet<String> = HashSet::new();
    for (.., topic, field) in &kept {
        if !titles.insert(topic.title.to_lowercase()) {
            return Err(TopicRefusal::new(
                field.clone(),
                format!(
                    "Another topic of this course is already called “{}”. Give each topic its own title.",
                    topic.title
                ),
            ));
        }
    }
    if kept.len() > MAX_TOPICS {
        return Err(TopicRefusal::new(
            NEW_TOPICS,
            format!("A course has at most {MAX_TOPICS} topics, retired ones included."),
        ));
    }
    if !kept
        .iter()
        .any(|(.., t, _)| t.status == TopicStatus::Active)
    {
        return Err(TopicRefusal::new(
            NEW_TOPICS,
            "A course needs at least one active topic: list its topics, one per line.",
        ));
    }
    let topics = kept
        .into_iter()
        .zip(1..)
        .map(|((.., topic, _), position)| PlannedTopic { position, ..topic })
        .collect();
    Ok(TopicPlan { topics, deleted })
}

/// The topics offered for new work: the active ones, and the retired ones `keep` names (the
/// topic a question already has, a blueprint's existing draws), so an edit never drops them.
pub fn offered(
    topics: Vec<(i64, String)>,
    retired: &[i64],
    keep: impl Fn(i64) -> bool,
) -> Vec<(i64, String)> {
    topics
        .into_iter()
        .filter(|(id, _)| !retired.contains(id) || keep(*id))
        .collect()
}

fn checked_title(typed: &str, field: &str) -> Result<String, TopicRefusal> {
    let title = typed.trim();
    if title.is_empty() {
        return Err(TopicRefusal::new(
            field,
            "Give the topic a title (to remove it, choose Delete or Retired).",
        ));
    }
    if title.chars().count() > MAX_TITLE || title.contains('\n') {
        return Err(TopicRefusal::new(
            field,
            format!("Keep each topic title on one line, under {MAX_TITLE} characters."),
        ));
    }
    Ok(title.to_owned())
}

fn in_use_message(t: &StoredTopic) -> String {
    let mut uses = Vec::new();
    match t.questions {
        0 => {}
        1 => uses.push("1 question is on it".to_owned()),
        n => uses.push(format!("{n} questions are on it")),
    }
    if t.drawn > 0 {
        uses.push("the test's blueprint draws from it".to_owned());
    }
    format!(
        "“{}” cannot be deleted: {}, and past attempts keep it. Choose Retired to stop offering it.",
        t.title,
        uses.join(" and ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored() -> Vec<StoredTopic> {
        [
            ("Intro", 3, 1),
            ("Partners", 0, 0),
            ("Data", 1, 0),
            ("Old", 0, 2),
        ]
        .iter()
        .enumerate()
        .map(|(i, (title, questions, drawn))| StoredTopic {
            id: 10 + i as i64,
            title: (*title).to_owned(),
            position: i as i64 + 1,
            status: TopicStatus::Active,
            questions: *questions,
            drawn: *drawn,
        })
        .collect()
    }

    fn row(id: i64, title: &str, position: &str, state: &str) -> TopicRowInput {
        TopicRowInput {
            id: id.to_string(),
            title: title.into(),
            position: position.into(),
            state: state.into(),
        }
    }

    fn unchanged() -> Vec<TopicRowInput> {
        stored()
            .iter()
            .map(|s| row(s.id, &s.title, &s.position.to_string(), "active"))
            .collect()
    }

    fn ids_and_titles(plan: &TopicPlan) -> Vec<(Option<i64>, &str, i64)> {
        plan.topics
            .iter()
            .map(|t| (t.id, t.title.as_str(), t.position))
            .collect()
    }

    #[test]
    fn a_new_course_takes_its_topics_in_order() {
        let plan = plan(&[], &[], &new_titles("A\n\n  B \n")).unwrap();
        assert_eq!(ids_and_titles(&plan), vec![(None, "A", 1), (None, "B", 2)]);
        assert_eq!(
            super::plan(&[], &[], &[]).unwrap_err().field,
            NEW_TOPICS,
            "a course without topics"
        );
    }

    #[test]
    fn an_unchanged_form_changes_nothing() {
        let s = stored();
        let plan = plan(&s, &unchanged(), &[]).unwrap();
        assert!(plan.deleted.is_empty());
        assert_eq!(plan.summary(&s), "");
        assert!(plan
            .topics
            .iter()
            .zip(&s)
            .all(|(p, s)| p.id == Some(s.id) && p.position == s.position));
    }

    #[test]
    fn rename_reorder_retire_add_and_delete_keep_every_id() {
        let s = stored();
        let mut rows = unchanged();
        rows[0].title = "Introduction".into();
        rows[2].position = "1".into(); // Data moves to the front
        rows[3].state = "retired".into(); // in use: may be retired
        rows[1].state = "delete".into(); // unused: may go
        let plan = plan(&s, &rows, &["Case studies".to_owned()]).unwrap();
        assert_eq!(
            ids_and_titles(&plan),
            vec![
                (Some(12), "Data", 1),
                (Some(10), "Introduction", 2),
                (Some(13), "Old", 3),
                (None, "Case studies", 4),
            ]
        );
        assert_eq!(plan.topics[2].status, TopicStatus::Retired);
        assert_eq!(plan.deleted, vec![11]);
        assert_eq!(
            plan.summary(&s),
            "1 renamed, 3 moved, 1 added, 1 retired, 1 deleted"
        );
    }

    #[test]
    fn a_topic_in_use_cannot_be_deleted_and_the_field_says_why() {
        let s = stored();
        for (i, uses) in [
            (0, "3 questions are on it and the test's blueprint draws"),
            (2, "1 question is on it,"),
            (3, ": the test's blueprint draws from it"),
        ] {
            let mut rows = unchanged();
            rows[i].state = "delete".into();
            let refusal = plan(&s, &rows, &[]).unwrap_err();
            assert_eq!(refusal.field, format!("topics[{i}][state]"));
            assert!(refusal.message.contains(uses), "{}", refusal.message);
            assert!(refusal.message.contains("Retired"));
        }
    }

    #[test]
    fn topics_the_form_left_out_stay_where_they_were() {
        let s = stored();
        let rows = vec![row(11, "Partners", "", "active")];
        let plan = plan(&s, &rows, &["New".to_owned()]).unwrap();
        assert_eq!(plan.topics.len(), 5);
        assert!(plan.deleted.is_empty());
        assert_eq!(plan.topics[3].id, Some(13));
        assert_eq!(plan.topics[4].id, None);
    }

    #[test]
    fn a_moved_topic_goes_before_the_one_already_in_its_place() {
        let s = stored();
        let mut rows = unchanged();
        rows[3].position = "2".into();
        let plan = plan(&s, &rows, &[]).unwrap();
        let order: Vec<_> = plan.topics.iter().filter_map(|t| t.id).collect();
        assert_eq!(order, vec![10, 13, 11, 12]);
    }

    #[test]
    fn bad_rows_are_named() {
        let s = stored();
        type Case = (fn(&mut Vec<TopicRowInput>), &'static str);
        let cases: Vec<Case> = vec![
            (|r| r[1].title = "  ".into(), "topics[1][title]"),
            (|r| r[1].title = "intro".into(), "topics[1][title]"),
            (|r| r[2].position = "0".into(), "topics[2][position]"),
            (|r| r[2].position = "x".into(), "topics[2][position]"),
            (|r| r[0].state = "gone".into(), "topics[0][state]"),
            (|r| r[3].id = "999".into(), "topics[3][title]"),
            (|r| r[3].id = "10".into(), "topics[3][title]"),
            (
                |r| r.iter_mut().for_each(|t| t.state = "retired".into()),
                NEW_TOPICS,
            ),
        ];
        for (change, field) in cases {
            let mut rows = unchanged();
            change(&mut rows);
            assert_eq!(plan(&s, &rows, &[]).unwrap_err().field, field);
        }
        let twice = plan(&s, &unchanged(), &["DATA".to_owned()]).unwrap_err();
        assert_eq!(twice.field, NEW_TOPICS);
        let many: Vec<String> = (0..MAX_TOPICS).map(|i| format!("T{i}")).collect();
        assert_eq!(plan(&s, &unchanged(), &many).unwrap_err().field, NEW_TOPICS);
    }

    #[test]
    fn retired_topics_are_offered_only_where_already_used() {
        let all = vec![
            (1, "A".to_owned()),
            (2, "B".to_owned()),
            (3, "C".to_owned()),
        ];
        let ids = |v: Vec<(i64, String)>| v.into_iter().map(|(id, _)| id).collect::<Vec<_>>();
        assert_eq!(ids(offered(all.clone(), &[2], |_| false)), vec![1, 3]);
        assert_eq!(ids(offered(all, &[2, 3], |id| id == 2)), vec![1, 2]);
    }

    #[test]
    fn a_retired_topic_can_come_back() {
        let mut s = stored();
        s[3].status = TopicStatus::Retired;
        let plan = plan(&s, &unchanged(), &[]).unwrap();
        assert_eq!(plan.topics[3].status, TopicStatus::Active);
        assert_eq!(plan.summary(&s), "1 restored");
    }
}
