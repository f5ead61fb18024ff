-- Offerings (scheduled runs of a course), their meetings and instructors, and registrations
-- with their payment. Seats are counted in offerings.seats_taken, changed only by a
-- conditional UPDATE so that two people can never take the last seat.

ALTER TABLE courses ADD COLUMN ce_hours INTEGER NOT NULL DEFAULT 0 CHECK (ce_hours >= 0);

CREATE TABLE offerings (
    id                     INTEGER PRIMARY KEY,
    course_id              INTEGER NOT NULL REFERENCES courses (id),
    zone                   TEXT NOT NULL DEFAULT 'America/Denver',
    preset                 TEXT NOT NULL DEFAULT 'custom' CHECK (preset IN ('day', 'evening', 'custom')),
    capacity               INTEGER NOT NULL CHECK (capacity > 0),
    seats_taken            INTEGER NOT NULL DEFAULT 0 CHECK (seats_taken >= 0 AND seats_taken <= capacity),
    registration_opens_at  TEXT NOT NULL,
    registration_closes_at TEXT NOT NULL,
    meeting_url            TEXT NOT NULL DEFAULT '',
    status                 TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled', 'completed')),
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL
);
CREATE INDEX offerings_course ON offerings (course_id, status);

CREATE TABLE meetings (
    id          INTEGER PRIMARY KEY,
    offering_id INTEGER NOT NULL REFERENCES offerings (id) ON DELETE CASCADE,
    starts_at   TEXT NOT NULL,
    ends_at     TEXT NOT NULL,
    -- Raised whenever the meeting changes, for calendar updates (iCalendar SEQUENCE).
    sequence    INTEGER NOT NULL DEFAULT 0,
    CHECK (ends_at > starts_at)
);
CREATE INDEX meetings_offering ON meetings (offering_id, starts_at);

CREATE TABLE offering_instructors (
    offering_id INTEGER NOT NULL REFERENCES offerings (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (offering_id, user_id)
);

CREATE TABLE registrations (
    id                 INTEGER PRIMARY KEY,
    offering_id        INTEGER NOT NULL REFERENCES offerings (id),
    user_id            INTEGER NOT NULL REFERENCES users (id),
    status             TEXT NOT NULL CHECK (status IN ('pending_approval', 'confirmed', 'waitlisted', 'rejected', 'cancelled')),
    -- Whether this registration counts in offerings.seats_taken.
    holds_seat         BOOLEAN NOT NULL DEFAULT FALSE,
    call_center        TEXT NOT NULL DEFAULT '',
    job_role           TEXT NOT NULL DEFAULT '',
    supervisor_contact TEXT NOT NULL DEFAULT '',
    decision_reason    TEXT NOT NULL DEFAULT '',
    decided_by         INTEGER REFERENCES users (id),
    decided_at         TEXT,
    amount_due_cents   INTEGER NOT NULL CHECK (amount_due_cents >= 0),
    payment_status     TEXT NOT NULL DEFAULT 'unpaid' CHECK (payment_status IN ('unpaid', 'paid', 'waived', 'refunded')),
    payment_method     TEXT NOT NULL DEFAULT '' CHECK (payment_method IN ('', 'card_by_phone', 'check', 'purchase_order', 'invoice')),
    payment_reference  TEXT NOT NULL DEFAULT '',
    paid_at            TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    cancelled_at       TEXT
);
-- One live registration per person and offering; cancelled and rejected ones stay as history.
CREATE UNIQUE INDEX registrations_one_live ON registrations (offering_id, user_id) WHERE status NOT IN ('cancelled', 'rejected');
CREATE INDEX registrations_user ON registrations (user_id, status);
CREATE INDEX registrations_waitlist ON registrations (offering_id, status, created_at, id);
