-- The question bank, each course's test settings, and attempts. Scores are kept in
-- hundredths of a point (integers), so partial credit adds up exactly.

-- A case vignette with several questions drawn together (the 911 course's scenarios).
CREATE TABLE scenario_groups (
    id         INTEGER PRIMARY KEY,
    course_id  INTEGER NOT NULL REFERENCES courses (id),
    title      TEXT NOT NULL,
    -- Markdown, sanitised when shown.
    vignette   TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'retired')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- One version of a question. Editing an active question adds a new row (version + 1, same
-- family) and retires the old one; attempts point at the version they drew.
CREATE TABLE questions (
    id          INTEGER PRIMARY KEY,
    course_id   INTEGER NOT NULL REFERENCES courses (id),
    -- The first version's id (its own id for a first version).
    family_id   INTEGER,
    version     INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    topic_id    INTEGER REFERENCES course_topics (id),
    group_id    INTEGER REFERENCES scenario_groups (id),
    kind        TEXT NOT NULL CHECK (kind IN ('single', 'multiple', 'true_false', 'short_answer', 'essay')),
    title       TEXT NOT NULL DEFAULT '',
    -- Markdown, sanitised when shown.
    stem        TEXT NOT NULL,
    points      INTEGER NOT NULL DEFAULT 1 CHECK (points BETWEEN 1 AND 100),
    explanation TEXT NOT NULL DEFAULT '',
    -- The options keep their written order even when the test shuffles options.
    pin_order   BOOLEAN NOT NULL DEFAULT FALSE,
    status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'retired')),
    created_by  INTEGER REFERENCES users (id),
    created_at  TEXT NOT NULL
);
CREATE INDEX questions_bank ON questions (course_id, status, topic_id);
CREATE INDEX questions_family ON questions (family_id, version);

-- Options of choice and true/false questions; accepted answers of short-answer ones.
-- weight_percent: the share of the points an option earns (negative: a penalty).
CREATE TABLE question_options (
    id             INTEGER PRIMARY KEY,
    question_id    INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    text           TEXT NOT NULL,
    weight_percent INTEGER NOT NULL DEFAULT 0 CHECK (weight_percent BETWEEN -100 AND 100),
    feedback       TEXT NOT NULL DEFAULT '',
    UNIQUE (question_id, position)
);

-- Each course's test.
CREATE TABLE exams (
    course_id          INTEGER PRIMARY KEY REFERENCES courses (id),
    time_limit_minutes INTEGER NOT NULL DEFAULT 90 CHECK (time_limit_minutes BETWEEN 5 AND 600),
    pass_percent       INTEGER NOT NULL DEFAULT 80 CHECK (pass_percent BETWEEN 1 AND 100),
    attempts_allowed   INTEGER NOT NULL DEFAULT 2 CHECK (attempts_allowed BETWEEN 1 AND 20),
    wait_hours         INTEGER NOT NULL DEFAULT 24 CHECK (wait_hours BETWEEN 0 AND 8760),
    shuffle_questions  BOOLEAN NOT NULL DEFAULT TRUE,
    shuffle_options    BOOLEAN NOT NULL DEFAULT TRUE,
    review_policy      TEXT NOT NULL DEFAULT 'score' CHECK (review_policy IN ('score', 'wrong', 'answers')),
    scenario_groups    INTEGER NOT NULL DEFAULT 0 CHECK (scenario_groups >= 0),
    -- Set when the bank was checked to cover the blueprint; people may start only then.
    published_at       TEXT,
    updated_at         TEXT NOT NULL
);

-- How many standalone questions each topic contributes.
CREATE TABLE exam_blueprint (
    course_id INTEGER NOT NULL REFERENCES exams (course_id) ON DELETE CASCADE,
    topic_id  INTEGER NOT NULL REFERENCES course_topics (id),
    questions INTEGER NOT NULL CHECK (questions >= 0),
    PRIMARY KEY (course_id, topic_id)
);

-- When the people of one offering may take the test (none: from the end of the last session
-- for 30 days).
CREATE TABLE exam_windows (
    offering_id INTEGER PRIMARY KEY REFERENCES offerings (id) ON DELETE CASCADE,
    opens_at    TEXT NOT NULL,
    closes_at   TEXT NOT NULL,
    CHECK (closes_at > opens_at)
);

-- Per-person accommodations.
CREATE TABLE accommodations (
    registration_id    INTEGER PRIMARY KEY REFERENCES registrations (id),
    extra_time_percent INTEGER NOT NULL DEFAULT 0 CHECK (extra_time_percent BETWEEN 0 AND 300),
    extra_attempts     INTEGER NOT NULL DEFAULT 0 CHECK (extra_attempts BETWEEN 0 AND 10),
    note               TEXT NOT NULL DEFAULT '',
    recorded_by        INTEGER REFERENCES users (id),
    recorded_at        TEXT NOT NULL
);

CREATE TABLE attempts (
    id              INTEGER PRIMARY KEY,
    registration_id INTEGER NOT NULL REFERENCES registrations (id),
    user_id         INTEGER NOT NULL REFERENCES users (id),
    course_id       INTEGER NOT NULL REFERENCES courses (id),
    number          INTEGER NOT NULL CHECK (number >= 1),
    -- The draw's seed: the same seed and bank give the same test.
    seed            INTEGER NOT NULL,
    started_at      TEXT NOT NULL,
    -- start + limit + extra time, fixed at the start.
    deadline_at     TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'awaiting_grading', 'final')),
    -- 'submitted' by the person, or 'deadline' when the server closed it.
    finished_by     TEXT CHECK (finished_by IN ('submitted', 'deadline')),
    finished_at     TEXT,
    -- The highest save sequence accepted: an older tab can never overwrite a newer answer.
    last_seq        INTEGER NOT NULL DEFAULT 0,
    score_centi     INTEGER,
    max_centi       INTEGER,
    passed          BOOLEAN,
    UNIQUE (registration_id, number)
);
CREATE INDEX attempts_open ON attempts (status, deadline_at);
-- One running attempt per registration, however many tabs press Start at once.
CREATE UNIQUE INDEX attempts_one_running ON attempts (registration_id) WHERE status = 'in_progress';
CREATE INDEX attempts_user ON attempts (user_id, course_id);

-- One drawn question of an attempt, frozen at the start.
CREATE TABLE attempt_items (
    id           INTEGER PRIMARY KEY,
    attempt_id   INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    question_id  INTEGER NOT NULL REFERENCES questions (id),
    -- JSON array: option indexes in the order shown.
    option_order TEXT NOT NULL DEFAULT '[]',
    -- JSON: the person's answer as last saved (NULL: not answered).
    response     TEXT,
    flagged      BOOLEAN NOT NULL DEFAULT FALSE,
    saved_at     TEXT,
    save_seq     INTEGER NOT NULL DEFAULT 0,
    -- NULL until scored (essays until graded).
    score_centi  INTEGER,
    UNIQUE (attempt_id, position)
);
