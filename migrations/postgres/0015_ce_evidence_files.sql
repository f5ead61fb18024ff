-- The evidence file of CE done elsewhere is kept as course materials and resources keep
-- theirs (app/src/storage): the type it is served with and its size, beside its key and name.
ALTER TABLE ce_records ADD COLUMN content_type TEXT NOT NULL DEFAULT '';
ALTER TABLE ce_records ADD COLUMN size_bytes BIGINT NOT NULL DEFAULT 0;
