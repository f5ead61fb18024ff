-- The certified-only resource area: files, links and Markdown pages that administrators
-- publish for certified coordinators. Who may open them is decided in the application
-- (app/src/domain/resource.rs), on every request.

CREATE TABLE resources (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('file', 'link', 'page')),
    category     TEXT NOT NULL CHECK (category IN ('program_materials', 'documentation', 'policies', 'data_collection', 'training')),
    title        TEXT NOT NULL,
    -- One line shown in the list and searched.
    summary      TEXT NOT NULL DEFAULT '',
    -- For links.
    url          TEXT NOT NULL DEFAULT '',
    -- For pages: the Markdown as written (rendered and sanitised when shown).
    body         TEXT NOT NULL DEFAULT '',
    -- For files: where the storage keeps the bytes, and what the uploader called them.
    storage_key  TEXT NOT NULL DEFAULT '',
    filename     TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT '',
    size_bytes   BIGINT NOT NULL DEFAULT 0,
    added_by     BIGINT NOT NULL REFERENCES users (id),
    added_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX resources_category ON resources (category, title);
