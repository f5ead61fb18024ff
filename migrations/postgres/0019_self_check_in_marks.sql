-- A self check-in during a session's live window records an attendance mark of its own
-- ("self_check_in"), which roll call and imported meeting reports replace and which never
-- replaces them (app/src/domain/attendance_source.rs).
ALTER TABLE attendance DROP CONSTRAINT attendance_source_check;
ALTER TABLE attendance ADD CONSTRAINT attendance_source_check
    CHECK (source IN ('roll_call', 'import', 'self_check_in', 'auto_absent', 'make_up'));
