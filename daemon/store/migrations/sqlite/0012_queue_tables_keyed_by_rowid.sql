-- arcd schema 12 (sqlite): the cash-application queues are keyed by the entry id itself, and
-- raw files can be found by size.
-- Declared `BIGINT PRIMARY KEY`, SQLite kept each as a table plus a separate unique index, so
-- every entry an import queued and every entry a run took off cost two B-tree changes; as
-- `INTEGER PRIMARY KEY` the entry id is the rowid and there is one (a 200k-entry import
-- writes 2.7 MB less). Same rows, same names; PostgreSQL's tables were already like this.
CREATE TABLE cash_inbox_by_rowid (
  entry_id     INTEGER PRIMARY KEY REFERENCES entries(id)
);
INSERT INTO cash_inbox_by_rowid(entry_id) SELECT entry_id FROM cash_inbox;
DROP TABLE cash_inbox;
ALTER TABLE cash_inbox_by_rowid RENAME TO cash_inbox;

CREATE TABLE cash_exceptions_by_rowid (
  entry_id     INTEGER PRIMARY KEY REFERENCES entries(id),
  amount       BIGINT  NOT NULL CHECK (amount > 0),
  currency     TEXT    NOT NULL,
  reason       TEXT    NOT NULL,
  detail       TEXT    NOT NULL DEFAULT '',
  candidates   TEXT    NOT NULL DEFAULT '[]',
  customer_id  BIGINT  REFERENCES customers(id),
  updated_at   TEXT    NOT NULL
);
INSERT INTO cash_exceptions_by_rowid(entry_id, amount, currency, reason, detail, candidates, customer_id, updated_at)
  SELECT entry_id, amount, currency, reason, detail, candidates, customer_id, updated_at FROM cash_exceptions;
DROP TABLE cash_exceptions;
ALTER TABLE cash_exceptions_by_rowid RENAME TO cash_exceptions;

-- An import asks whether a stored file has its size before it decides to hash first.
CREATE INDEX raw_files_by_size ON raw_files(size);
