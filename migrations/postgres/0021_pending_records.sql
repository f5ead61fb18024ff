-- Records matched to a person by email wait here while the account with that email has not
-- verified it: whoever signed up with an address may not own it. Verifying the address (or
-- resetting the password, which proves the same) moves them to the account, in the same
-- transaction. `email` is lower-case, as accounts store it.

-- An imported coordinator certificate: its number is reserved (unique, and counted as used by
-- later imports); the verification code, status and membership are made when it is attached.
CREATE TABLE pending_certificates (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email       TEXT NOT NULL,
    number      TEXT NOT NULL UNIQUE,
    course_id   BIGINT NOT NULL REFERENCES courses (id),
    holder_name TEXT NOT NULL,
    issued_on   DATE NOT NULL,
    expires_on  DATE NOT NULL,
    imported_by BIGINT NOT NULL REFERENCES users (id),
    imported_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX pending_certificates_email ON pending_certificates (email);

-- CE done elsewhere, as an administrator recorded it (the evidence file is already stored).
CREATE TABLE pending_ce_records (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email        TEXT NOT NULL,
    title        TEXT NOT NULL,
    hours        BIGINT NOT NULL CHECK (hours > 0),
    completed_on DATE NOT NULL,
    evidence     TEXT NOT NULL DEFAULT '',
    storage_key  TEXT NOT NULL DEFAULT '',
    filename     TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT '',
    size_bytes   BIGINT NOT NULL DEFAULT 0,
    approved     BOOLEAN NOT NULL DEFAULT FALSE,
    recorded_by  BIGINT NOT NULL REFERENCES users (id),
    recorded_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX pending_ce_records_email ON pending_ce_records (email);
