-- Certificates, the memberships they carry, and the best-practice guide shipped with a first
-- coordinator certificate.

-- The last number given per series (CITC, CIT911) and year. Issuing takes the next one with
-- UPDATE ... RETURNING inside its write transaction: the row lock (SQLite: the write lock)
-- makes two issues at the same moment wait for each other, so numbers are never duplicated,
-- and a rolled-back issue gives its number back, so none is skipped.
CREATE TABLE certificate_counters (
    series      TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last_number INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (series, year)
);

CREATE TABLE certificates (
    id                INTEGER PRIMARY KEY,
    number            TEXT NOT NULL UNIQUE,
    -- 16 Crockford base32 characters (80 random bits), without dashes.
    verification_code TEXT NOT NULL UNIQUE,
    user_id           INTEGER NOT NULL REFERENCES users (id),
    course_id         INTEGER NOT NULL REFERENCES courses (id),
    kind              TEXT NOT NULL CHECK (kind IN ('coordinator', 'completion')),
    -- The name as printed: a reissue after a name change replaces it.
    holder_name       TEXT NOT NULL,
    issued_on         TEXT NOT NULL,
    -- NULL for a certificate of completion, which does not expire.
    expires_on        TEXT,
    status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'expired', 'revoked')),
    revoked_at        TEXT,
    revoked_reason    TEXT,
    -- The passed attempt that earned it: one certificate per attempt, however often the
    -- issue is attempted.
    attempt_id        INTEGER UNIQUE REFERENCES attempts (id),
    issued_at         TEXT NOT NULL,
    -- How many times it was reissued (name changes), and when last.
    reissues          INTEGER NOT NULL DEFAULT 0,
    reissued_at       TEXT,
    -- When the message announcing it (with the PDF) was put in the outbox.
    mailed_at         TEXT
);
CREATE INDEX certificates_user ON certificates (user_id);
CREATE INDEX certificates_expiry ON certificates (status, expires_on);
CREATE INDEX certificates_unmailed ON certificates (mailed_at) WHERE mailed_at IS NULL;

CREATE TABLE memberships (
    id             INTEGER PRIMARY KEY,
    user_id        INTEGER NOT NULL REFERENCES users (id),
    certificate_id INTEGER NOT NULL UNIQUE REFERENCES certificates (id),
    starts_on      TEXT NOT NULL,
    ends_on        TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
    ended_at       TEXT
);
CREATE INDEX memberships_user ON memberships (user_id, status);

-- The best-practice guide for a first coordinator certificate. The address is a snapshot
-- (NULL until the holder gives it).
CREATE TABLE guide_shipments (
    id             INTEGER PRIMARY KEY,
    certificate_id INTEGER NOT NULL UNIQUE REFERENCES certificates (id),
    user_id        INTEGER NOT NULL UNIQUE REFERENCES users (id),
    address        TEXT,
    requested_at   TEXT NOT NULL,
    shipped_at     TEXT,
    carrier        TEXT,
    tracking       TEXT,
    shipped_by     INTEGER REFERENCES users (id)
);

-- Verification look-ups per client address, for rate limiting.
CREATE TABLE verification_requests (
    address TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX verification_requests_address ON verification_requests (address, at);
