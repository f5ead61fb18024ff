-- Grading by hand: the grade's feedback, who gave it and when (a change is audited with its
-- reason), and when an attempt's last item was graded.
ALTER TABLE attempt_items ADD COLUMN feedback TEXT NOT NULL DEFAULT '';
ALTER TABLE attempt_items ADD COLUMN graded_by BIGINT REFERENCES users (id);
ALTER TABLE attempt_items ADD COLUMN graded_at TIMESTAMPTZ;
ALTER TABLE attempts ADD COLUMN graded_at TIMESTAMPTZ;

-- Every save of an attempt, for the staff's review of it (the time of each save). The item
-- itself holds only the last answer.
CREATE TABLE attempt_saves (
    attempt_id BIGINT NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    seq        BIGINT NOT NULL,
    position   BIGINT NOT NULL,
    saved_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (attempt_id, seq)
);
