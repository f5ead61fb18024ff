-- A self check-in during a session's live window records an attendance mark of its own
-- ("self_check_in"), which roll call and imported meeting reports replace and which never
-- replaces them (app/src/domain/attendance_source.rs). SQLite cannot alter a CHECK
-- constraint, so the table is rebuilt with the same columns and rows; nothing references it.
CREATE TABLE attendance_rebuilt (
    id              INTEGER PRIMARY KEY,
    registration_id INTEGER NOT NULL REFERENCES registrations (id),
    meeting_id      INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('present', 'late', 'left_early', 'excused', 'absent')),
    minutes         INTEGER NOT NULL DEFAULT 0 CHECK (minutes >= 0),
    note            TEXT NOT NULL DEFAULT '',
    -- Who or what recorded the current values.
    source          TEXT NOT NULL CHECK (source IN ('roll_call', 'import', 'self_check_in', 'auto_absent', 'make_up')),
    -- A missed meeting made up another way (recorded by an instructor, with a note).
    made_up         BOOLEAN NOT NULL DEFAULT FALSE,
    recorded_by     INTEGER REFERENCES users (id),
    recorded_at     TEXT NOT NULL,
    UNIQUE (registration_id, meeting_id)
);
INSERT INTO attendance_rebuilt (id, registration_id, meeting_id, status, minutes, note, source, made_up, recorded_by, recorded_at)
    SELECT id, registration_id, meeting_id, status, minutes, note, source, made_up, recorded_by, recorded_at FROM attendance;
DROP TABLE attendance;
ALTER TABLE attendance_rebuilt RENAME TO attendance;
CREATE INDEX attendance_meeting ON attendance (meeting_id);
