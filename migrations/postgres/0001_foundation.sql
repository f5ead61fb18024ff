-- Accounts, the course catalog, sign-in throttling and the audit log.

CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    agency        TEXT NOT NULL DEFAULT '',
    agency_type   TEXT NOT NULL DEFAULT 'other',
    role          TEXT NOT NULL DEFAULT 'attendee' CHECK (role IN ('attendee', 'instructor', 'admin')),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE courses (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code                TEXT NOT NULL UNIQUE,
    title               TEXT NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('certification', 'training', 'continuing_education')),
    summary             TEXT NOT NULL,
    description         TEXT NOT NULL,
    hours               BIGINT NOT NULL CHECK (hours > 0),
    fee_cents           BIGINT NOT NULL CHECK (fee_cents >= 0),
    includes_membership BOOLEAN NOT NULL DEFAULT FALSE,
    eligibility         TEXT NOT NULL DEFAULT 'anyone' CHECK (eligibility IN ('anyone', 'call_center_staff', 'active_coordinator')),
    format              TEXT NOT NULL,
    position            BIGINT NOT NULL DEFAULT 0,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);

CREATE TABLE course_topics (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    position  BIGINT NOT NULL,
    title     TEXT NOT NULL,
    UNIQUE (course_id, position)
);

CREATE TABLE sign_in_failures (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email   TEXT NOT NULL,
    address TEXT NOT NULL,
    at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX sign_in_failures_email ON sign_in_failures (email, at);
CREATE INDEX sign_in_failures_address ON sign_in_failures (address, at);

CREATE TABLE audit_log (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           TIMESTAMPTZ NOT NULL,
    actor_id     BIGINT REFERENCES users (id),
    action       TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    BIGINT,
    before_value TEXT,
    after_value  TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_at ON audit_log (at);
