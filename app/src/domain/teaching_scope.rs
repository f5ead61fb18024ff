//! How far a staff member reaches. An administrator reaches every course and every person.
//! An instructor reaches only the courses they teach (a course is taught by whoever is
//! assigned to at least one of its classes) and only the files of people registered in their
//! classes: an instructor of one coordinator class must not read the 911 course's answer key,
//! change its questions, or download another class's certificates, invoices or CE evidence.

use super::role::Role;

/// What the staff side of one course (its question bank, scenario groups, test preview, item
/// analysis and exports) is to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CourseReach {
    /// They may see and change it.
    Staff,
    /// They are not staff at all.
    NotStaff,
    /// An instructor who teaches no class of this course.
    NotTheirCourse,
}

/// What course `course_id`'s staff side is to someone with `role` who teaches the courses
/// `taught`.
pub fn course_reach(role: Role, taught: &[i64], course_id: i64) -> CourseReach {
    match role {
        Role::Admin => CourseReach::Staff,
        Role::Instructor if taught.contains(&course_id) => CourseReach::Staff,
        Role::Instructor => CourseReach::NotTheirCourse,
        Role::Attendee => CourseReach::NotStaff,
    }
}

/// Who someone is to a person's file (a certificate, an invoice, CE evidence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileReach {
    /// Staff who may see it: an administrator, or an instructor of a class the person is in.
    Staff,
    /// The person whose file it is (each file adds its own conditions for its owner).
    Owner,
    /// Anyone else: refused as if the file did not exist.
    Nobody,
}

/// What a file of person `owner_id` is to `viewer_id` with `role`; `owner_in_their_class` says
/// whether the owner is registered in a class the viewer teaches.
pub fn file_reach(
    role: Role,
    viewer_id: i64,
    owner_id: i64,
    owner_in_their_class: bool,
) -> FileReach {
    match role {
        Role::Admin => FileReach::Staff,
        Role::Instructor if owner_in_their_class => FileReach::Staff,
        _ if viewer_id == owner_id => FileReach::Owner,
        _ => FileReach::Nobody,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CITC: i64 = 1;
    const CIT911: i64 = 2;

    #[test]
    fn administrators_reach_every_course() {
        assert_eq!(course_reach(Role::Admin, &[], CIT911), CourseReach::Staff);
        assert_eq!(
            course_reach(Role::Admin, &[CITC], CIT911),
            CourseReach::Staff
        );
    }

    #[test]
    fn instructors_reach_only_the_courses_they_teach() {
        assert_eq!(
            course_reach(Role::Instructor, &[CITC], CITC),
            CourseReach::Staff
        );
        assert_eq!(
            course_reach(Role::Instructor, &[CITC], CIT911),
            CourseReach::NotTheirCourse
        );
        assert_eq!(
            course_reach(Role::Instructor, &[], CITC),
            CourseReach::NotTheirCourse
        );
        assert_eq!(
            course_reach(Role::Instructor, &[CIT911, CITC], CIT911),
            CourseReach::Staff
        );
    }

    #[test]
    fn attendees_reach_no_course_even_one_they_were_assigned() {
        // A demoted instructor keeps their assignments; the role decides first.
        assert_eq!(
            course_reach(Role::Attendee, &[CITC], CITC),
            CourseReach::NotStaff
        );
    }

    #[test]
    fn administrators_reach_everyones_files() {
        assert_eq!(file_reach(Role::Admin, 1, 2, false), FileReach::Staff);
        assert_eq!(file_reach(Role::Admin, 1, 1, false), FileReach::Staff);
    }

    #[test]
    fn instructors_reach_the_files_of_people_in_their_classes_only() {
        assert_eq!(file_reach(Role::Instructor, 1, 2, true), FileReach::Staff);
        assert_eq!(file_reach(Role::Instructor, 1, 2, false), FileReach::Nobody);
        // Their own files, as anyone's.
        assert_eq!(file_reach(Role::Instructor, 1, 1, false), FileReach::Owner);
    }

    #[test]
    fn attendees_reach_their_own_files_only() {
        assert_eq!(file_reach(Role::Attendee, 1, 1, false), FileReach::Owner);
        assert_eq!(file_reach(Role::Attendee, 1, 2, false), FileReach::Nobody);
        // Sharing a class with someone gives an attendee nothing of theirs.
        assert_eq!(file_reach(Role::Attendee, 1, 2, true), FileReach::Nobody);
    }
}
