//! The messages registration changes send. Plain functions: the caller gives the facts.

use super::mail::Text;

/// Facts every registration message needs.
#[derive(Debug, Clone)]
pub struct About<'a> {
    pub name: &'a str,
    pub course: &'a str,
    /// "June 17-18 · 9:00 am-1:00 pm MT".
    pub when: &'a str,
    /// The class page.
    pub link: &'a str,
}

const SIGNATURE: &str = "CIT Academy\nCrisis Intervention Team training and certification";

fn text(subject: String, greeting_name: &str, body: String) -> Text {
    Text {
        subject,
        body: format!("Hello {greeting_name},\n\n{body}\n\n{SIGNATURE}\n"),
    }
}

/// A seat is yours: sent with the calendar file.
pub fn confirmed(a: &About<'_>) -> Text {
    text(
        format!("Registration confirmed: {}", a.course),
        a.name,
        format!(
            "You are registered for {course}, {when}.\n\n\
             The attached calendar file holds every session. The link to join the live sessions \
             appears on your dashboard before each session starts.\n\n\
             Class details: {link}",
            course = a.course,
            when = a.when,
            link = a.link
        ),
    )
}

/// The 911 course: a seat is held while an administrator confirms eligibility.
pub fn pending_approval(a: &About<'_>) -> Text {
    text(
        format!("Registration received: {}", a.course),
        a.name,
        format!(
            "We received your registration for {course}, {when}, and are holding a seat for you.\n\n\
             This course is for people employed by an emergency call center, so an administrator \
             confirms each registration. We will write again when that is done.\n\nClass details: {link}",
            course = a.course,
            when = a.when,
            link = a.link
        ),
    )
}

pub fn approved(a: &About<'_>) -> Text {
    text(
        format!("Registration approved: {}", a.course),
        a.name,
        format!(
            "Your registration for {course}, {when}, has been approved. You have a seat.\n\n\
             The attached calendar file holds every session.\n\nClass details: {link}",
            course = a.course,
            when = a.when,
            link = a.link
        ),
    )
}

pub fn rejected(a: &About<'_>, reason: &str) -> Text {
    text(
        format!("Registration not approved: {}", a.course),
        a.name,
        format!(
            "We could not approve your registration for {course}, {when}.\n\nReason: {reason}\n\n\
             If you think this is a mistake, reply to this message or contact the training office.",
            course = a.course,
            when = a.when
        ),
    )
}

pub fn waitlisted(a: &About<'_>) -> Text {
    text(
        format!("You are on the waitlist: {}", a.course),
        a.name,
        format!(
            "{course}, {when}, is full, so you are on its waitlist.\n\n\
             When a seat opens, the first person in line gets it automatically, and we will tell you at once.\n\n\
             Class details: {link}",
            course = a.course,
            when = a.when,
            link = a.link
        ),
    )
}

pub fn promoted(a: &About<'_>, needs_approval: bool) -> Text {
    let next = if needs_approval {
        "An administrator will now confirm your eligibility; we will write again when that is done."
    } else {
        "You are registered. The attached calendar file holds every session."
    };
    text(
        format!("A seat opened for you: {}", a.course),
        a.name,
        format!("A seat opened in {course}, {when}, and it is yours.\n\n{next}\n\nClass details: {link}", course = a.course, when = a.when, link = a.link),
    )
}

pub fn cancelled(a: &About<'_>) -> Text {
    text(
        format!("Registration cancelled: {}", a.course),
        a.name,
        format!(
            "Your registration for {course}, {when}, is cancelled.\n\nYou are welcome to register for another class: {link}",
            course = a.course,
            when = a.when,
            link = a.link
        ),
    )
}

/// The class itself will not take place.
pub fn offering_cancelled(a: &About<'_>, reason: &str) -> Text {
    text(
        format!("Class cancelled: {}", a.course),
        a.name,
        format!(
            "We are sorry: {course}, {when}, has been cancelled, and your registration with it.\n\n{reason}\n\n\
             Any payment will be refunded or moved to another class of your choice; the training office \
             will contact you. Other dates: {link}",
            course = a.course,
            when = a.when,
            link = a.link
        ),
    )
}

/// The class's sessions changed; `with_calendar` when the person has a seat and the
/// updated calendar file is attached.
pub fn rescheduled(a: &About<'_>, with_calendar: bool) -> Text {
    let calendar = if with_calendar {
        "\n\nThe attached calendar file updates the sessions already in your calendar."
    } else {
        ""
    };
    text(
        format!("Schedule changed: {}", a.course),
        a.name,
        format!(
            "The schedule of {course} has changed. It now meets {when}.{calendar}\n\n             If you can no longer attend, you can cancel your registration from your dashboard.\n\n             Class details: {link}",
            course = a.course,
            when = a.when,
            link = a.link
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn about() -> About<'static> {
        About {
            name: "Jane Doe",
            course: "CIT Coordinator Certification",
            when: "June 17-18 · 9:00 am-1:00 pm MT",
            link: "https://academy.example.org/offerings/7",
        }
    }

    #[test]
    fn every_message_names_the_person_the_course_and_the_dates() {
        let a = about();
        for t in [
            confirmed(&a),
            pending_approval(&a),
            approved(&a),
            rejected(&a, "Not a call center"),
            waitlisted(&a),
            promoted(&a, false),
            cancelled(&a),
            offering_cancelled(&a, "The instructor is ill."),
            rescheduled(&a, true),
        ] {
            assert!(
                t.subject.contains("CIT Coordinator Certification"),
                "{}",
                t.subject
            );
            assert!(t.body.starts_with("Hello Jane Doe,"));
            assert!(t.body.contains("June 17-18"), "{}", t.body);
        }
    }

    #[test]
    fn rejection_gives_the_reason_and_promotion_says_what_happens_next() {
        assert!(rejected(&about(), "Not employed by a call center")
            .body
            .contains("Reason: Not employed by a call center"));
        assert!(promoted(&about(), true)
            .body
            .contains("administrator will now confirm"));
        assert!(promoted(&about(), false)
            .body
            .contains("You are registered"));
    }
}
