-- Outgoing mail, single-use email links, and the account details people keep in settings.
-- (0002 belongs to offerings.)

-- Every message goes through here; a background sender delivers it. Claiming a row sets
-- claimed_until (and claimed_by), so that several servers never send the same message.
CREATE TABLE outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    -- JSON: [{"filename": ..., "content_type": ..., "content_base64": ...}]
    attachments     TEXT NOT NULL DEFAULT '[]',
    kind            TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    claimed_until   TIMESTAMPTZ,
    claimed_by      TEXT,
    sent_at         TIMESTAMPTZ,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);
CREATE INDEX outbox_recipient ON outbox (to_address, kind, created_at);

-- Links sent by email (verify the address, reset the password). Only the SHA-256 of the
-- token is kept: a copy of the database does not give working links.
CREATE TABLE email_tokens (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

-- Requests that send mail to an address someone typed (forgot password), for throttling.
CREATE TABLE mail_requests (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    purpose TEXT NOT NULL,
    email   TEXT NOT NULL,
    address TEXT NOT NULL,
    at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX mail_requests_email ON mail_requests (purpose, email, at);
CREATE INDEX mail_requests_address ON mail_requests (purpose, address, at);

ALTER TABLE users ADD COLUMN email_verified_at TIMESTAMPTZ;
-- IANA zone name; empty means "not chosen" (pages then use the offering's zone).
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
-- Where the best-practice guide is shipped to new coordinators.
ALTER TABLE users ADD COLUMN ship_street TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN ship_city TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN ship_region TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN ship_postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN ship_country TEXT NOT NULL DEFAULT '';
