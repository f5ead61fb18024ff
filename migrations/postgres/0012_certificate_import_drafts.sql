-- A CSV of coordinators certified before the platform, uploaded but not yet imported: the
-- administrator sees every row's problems first, then confirms, without uploading the file
-- again. The file's text is kept (at most 1 MB, for the uploader only, for a day) and checked
-- afresh on every preview and again inside the importing transaction, so the preview always
-- reflects the numbers in use now. Confirming deletes the draft.
CREATE TABLE certificate_import_drafts (
    -- 32 random bytes, URL-safe base64: the draft's address in the preview's URL.
    id          TEXT PRIMARY KEY,
    uploaded_by BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    filename    TEXT NOT NULL,
    content     TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX certificate_import_drafts_expiry ON certificate_import_drafts (expires_at);
