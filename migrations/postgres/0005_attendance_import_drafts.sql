-- A participant report uploaded but not yet applied: the instructor sees a preview, matches
-- people by hand, then applies it, without uploading the file again. Only the parsed
-- participants are kept (their join/leave intervals as JSON), for the uploader and that
-- meeting only, for a day; applying deletes the draft.
CREATE TABLE attendance_import_drafts (
    -- 32 random bytes, URL-safe base64: the draft's address in the preview's URL.
    id           TEXT PRIMARY KEY,
    meeting_id   BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    uploaded_by  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    file_sha256  TEXT NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('zoom', 'teams')),
    filename     TEXT NOT NULL,
    participants TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX attendance_import_drafts_expiry ON attendance_import_drafts (expires_at);
