-- The question a person last opened, so that coming back (a closed tab, a lost network, a
-- restarted server) returns them to it rather than to question 1.
ALTER TABLE attempts ADD COLUMN current_position INTEGER NOT NULL DEFAULT 0;
