-- Attendance per registration per meeting, self check-ins, imported meeting reports, and
-- course materials. The rule for sitting the test reads attendance; see
-- app/src/domain/attendance_rule.rs.

-- A meeting counts when at least this share of its minutes was attended.
ALTER TABLE courses ADD COLUMN attendance_threshold_percent BIGINT NOT NULL DEFAULT 90
    CHECK (attendance_threshold_percent BETWEEN 1 AND 100);
-- Whether an excused absence counts as attended for the test.
ALTER TABLE courses ADD COLUMN excused_counts BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE attendance (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    registration_id BIGINT NOT NULL REFERENCES registrations (id),
    meeting_id      BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('present', 'late', 'left_early', 'excused', 'absent')),
    minutes         BIGINT NOT NULL DEFAULT 0 CHECK (minutes >= 0),
    note            TEXT NOT NULL DEFAULT '',
    -- Who or what recorded the current values.
    source          TEXT NOT NULL CHECK (source IN ('roll_call', 'import', 'auto_absent', 'make_up')),
    -- A missed meeting made up another way (recorded by an instructor, with a note).
    made_up         BOOLEAN NOT NULL DEFAULT FALSE,
    recorded_by     BIGINT REFERENCES users (id),
    recorded_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (registration_id, meeting_id)
);
CREATE INDEX attendance_meeting ON attendance (meeting_id);

-- "Join session" on the dashboard: when the person followed the link. Evidence for the
-- instructor, not attendance by itself.
CREATE TABLE check_ins (
    registration_id BIGINT NOT NULL REFERENCES registrations (id),
    meeting_id      BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    checked_in_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (registration_id, meeting_id)
);

-- Video-meeting participant reports applied to a meeting (history; applying the same file
-- again changes no attendance).
CREATE TABLE attendance_imports (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id   BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    file_sha256  TEXT NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('zoom', 'teams')),
    filename     TEXT NOT NULL,
    participants BIGINT NOT NULL,
    changed      BIGINT NOT NULL,
    imported_by  BIGINT NOT NULL REFERENCES users (id),
    imported_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX attendance_imports_meeting ON attendance_imports (meeting_id, imported_at);

-- Handouts, slides and pre-reading for an offering, or for one of its meetings.
CREATE TABLE course_materials (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    offering_id  BIGINT NOT NULL REFERENCES offerings (id) ON DELETE CASCADE,
    meeting_id   BIGINT REFERENCES meetings (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('file', 'link')),
    title        TEXT NOT NULL,
    -- For links.
    url          TEXT NOT NULL DEFAULT '',
    -- For files: where the storage keeps the bytes, and what the uploader called them.
    storage_key  TEXT NOT NULL DEFAULT '',
    filename     TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT '',
    size_bytes   BIGINT NOT NULL DEFAULT 0,
    added_by     BIGINT NOT NULL REFERENCES users (id),
    added_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX course_materials_offering ON course_materials (offering_id, meeting_id);
