-- A scenario's title names it in the bank and in GIFT files (`<topic>/Scenario: <title>`),
-- so two scenarios of one course never share one, whatever the case.
CREATE UNIQUE INDEX scenario_groups_title ON scenario_groups (course_id, lower(title));
