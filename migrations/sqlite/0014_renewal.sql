-- Renewal of coordinator certificates by continuing education (CE); see
-- app/src/domain/renewal.rs for the rules.

-- A renewal keeps the number and moves the expiry three years on. The current period starts
-- on the old expiry date (NULL: on the issue date, never renewed).
ALTER TABLE certificates ADD COLUMN period_starts_on TEXT;
ALTER TABLE certificates ADD COLUMN renewals INTEGER NOT NULL DEFAULT 0;
ALTER TABLE certificates ADD COLUMN renewed_at TEXT;

-- CE done elsewhere, recorded by an administrator with its evidence (a note, and a stored
-- file); it counts toward renewal only once approved.
CREATE TABLE ce_records (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    title        TEXT NOT NULL,
    hours        INTEGER NOT NULL CHECK (hours > 0),
    completed_on TEXT NOT NULL,
    evidence     TEXT NOT NULL DEFAULT '',
    storage_key  TEXT NOT NULL DEFAULT '',
    filename     TEXT NOT NULL DEFAULT '',
    approved     BOOLEAN NOT NULL DEFAULT FALSE,
    recorded_by  INTEGER NOT NULL REFERENCES users (id),
    recorded_at  TEXT NOT NULL
);
CREATE INDEX ce_records_user ON ce_records (user_id);

-- Each reminder of a period, once: the key is inserted in the same transaction as the
-- outbox row, so two job runs (or two servers) cannot both send it.
CREATE TABLE renewal_reminders (
    certificate_id INTEGER NOT NULL REFERENCES certificates (id),
    kind           TEXT NOT NULL,
    -- The period's expiry date: a renewed certificate is reminded again in its next period.
    expires_on     TEXT NOT NULL,
    sent_at        TEXT NOT NULL,
    PRIMARY KEY (certificate_id, kind, expires_on)
);
