-- Course evaluations (see app/src/domain/evaluation.rs for the rules): each person with a
-- confirmed seat rates a class once, after it ends, on fixed items, with an optional comment
-- that an administrator may publish on the course page if its author agreed. Pages show the
-- ratings to instructors only in aggregate, and comments without names.

CREATE TABLE evaluations (
    id              INTEGER PRIMARY KEY,
    -- One evaluation per registration, however many are sent at once.
    registration_id INTEGER NOT NULL UNIQUE REFERENCES registrations (id),
    offering_id     INTEGER NOT NULL REFERENCES offerings (id),
    content         INTEGER NOT NULL CHECK (content BETWEEN 1 AND 5),
    presenters      INTEGER NOT NULL CHECK (presenters BETWEEN 1 AND 5),
    balance         INTEGER NOT NULL CHECK (balance BETWEEN 1 AND 5),
    relevance       INTEGER NOT NULL CHECK (relevance BETWEEN 1 AND 5),
    overall         INTEGER NOT NULL CHECK (overall BETWEEN 1 AND 5),
    comment         TEXT NOT NULL DEFAULT '',
    -- "You may publish my comment on the course page", and the signature the form showed
    -- (first name and agency) when the author agreed.
    consent         BOOLEAN NOT NULL DEFAULT FALSE,
    attribution     TEXT NOT NULL DEFAULT '',
    submitted_at    TEXT NOT NULL,
    -- Set while the comment is a testimonial on the course page.
    published_at    TEXT,
    published_by    INTEGER REFERENCES users (id),
    CHECK (published_at IS NULL OR (consent AND comment <> ''))
);
CREATE INDEX evaluations_offering ON evaluations (offering_id);

-- The invitation to evaluate, once per registration: the key is inserted in the same
-- transaction as the message, so two runs of the job (or two servers) never both send it.
CREATE TABLE evaluation_invitations (
    registration_id INTEGER PRIMARY KEY REFERENCES registrations (id),
    sent_at         TEXT NOT NULL
);
