-- Topics keep their identity for life: questions, blueprints and attempts point at them, so a
-- course edit renames, reorders, adds or retires a topic in place (see
-- app/src/domain/course_topics.rs). A retired topic keeps its row for history but is not
-- offered for new questions or blueprints.
ALTER TABLE course_topics ADD COLUMN status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired'));

-- Which catalog topics `seed` has already put into each course. Seed adds a catalog topic to
-- a course once: a topic an administrator later renamed or deleted is never added back.
-- Topics present now count as loaded.
CREATE TABLE catalog_topics_loaded (
    course_id BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    title     TEXT NOT NULL,
    PRIMARY KEY (course_id, title)
);
INSERT INTO catalog_topics_loaded (course_id, title) SELECT DISTINCT course_id, title FROM course_topics;
