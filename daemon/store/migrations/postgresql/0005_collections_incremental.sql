-- arcd schema 5 (PostgreSQL): incremental collections runs.

-- When an invoice's next stage can come due at the earliest (its due date plus the next stage's
-- offset), and the due date that was computed from: a run reads only the customers with an
-- invoice due for a stage, new to the sequence, or whose due date moved. Empty: read it.
ALTER TABLE dunning_state ADD COLUMN next_due TEXT NOT NULL DEFAULT '';
ALTER TABLE dunning_state ADD COLUMN due_date TEXT NOT NULL DEFAULT '';
CREATE INDEX dunning_state_by_next_due ON dunning_state(next_due);

-- Which policies a run used: a run under changed policies reads every customer again.
ALTER TABLE collection_runs ADD COLUMN policies TEXT NOT NULL DEFAULT '';
