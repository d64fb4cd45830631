-- arcd: foreign keys off
-- arcd schema 13 (SQLite): entries, applications and outbox events take their ids as plain
-- rowids (max + 1) instead of through AUTOINCREMENT.
-- AUTOINCREMENT makes SQLite read and rewrite the table's row in sqlite_sequence on every
-- insert: measured, 1.7 us of each entry a statement import stores (a seventh of its insert),
-- and twice per payment cash application applies (its application and its outbox event). What
-- it buys, ids never reused after the newest row is deleted, these tables already have: no row
-- of them is ever deleted (applications refuse it by trigger; entries and outbox events are
-- only ever updated). Ids stay what they were.
-- The tables are referenced by others, so this is SQLite's documented table rebuild: the
-- runner turns foreign keys off for it (the marker above) and checks them all before COMMIT.

CREATE TABLE entries_v13 (
  id                    INTEGER PRIMARY KEY,
  statement_id          BIGINT  NOT NULL REFERENCES statements(id),
  entry_key             TEXT    NOT NULL UNIQUE,
  position              INTEGER NOT NULL,
  amount                BIGINT  NOT NULL CHECK (amount >= 0),
  currency              TEXT    NOT NULL,
  direction             TEXT    NOT NULL CHECK (direction IN ('credit', 'debit')),
  reversal              INTEGER NOT NULL DEFAULT 0,
  status                TEXT    NOT NULL CHECK (status IN ('booked', 'pending', 'info')),
  booking_date          TEXT,
  value_date            TEXT,
  bank_transaction_code TEXT    NOT NULL DEFAULT '',
  bank_reference        TEXT    NOT NULL DEFAULT '',
  end_to_end_id         TEXT    NOT NULL DEFAULT '',
  payer_name            TEXT    NOT NULL DEFAULT '',
  payer_account         TEXT    NOT NULL DEFAULT '',
  remittance            TEXT    NOT NULL DEFAULT '',
  structured_reference  TEXT    NOT NULL DEFAULT '',
  batch_key             TEXT    NOT NULL DEFAULT '',
  entry_amount          BIGINT  NOT NULL DEFAULT 0,   -- the booked entry's amount (a batch's total)
  detail_index          INTEGER NOT NULL DEFAULT 0,
  detail_count          INTEGER NOT NULL DEFAULT 1,
  details               TEXT    NOT NULL DEFAULT '{}' -- EntryDetails as JSON
);
INSERT INTO entries_v13(id, statement_id, entry_key, position, amount, currency, direction, reversal, status, booking_date,
                        value_date, bank_transaction_code, bank_reference, end_to_end_id, payer_name, payer_account,
                        remittance, structured_reference, batch_key, entry_amount, detail_index, detail_count, details)
  SELECT id, statement_id, entry_key, position, amount, currency, direction, reversal, status, booking_date,
         value_date, bank_transaction_code, bank_reference, end_to_end_id, payer_name, payer_account,
         remittance, structured_reference, batch_key, entry_amount, detail_index, detail_count, details FROM entries;
DROP TABLE entries;
ALTER TABLE entries_v13 RENAME TO entries;
CREATE INDEX entries_by_statement ON entries(statement_id, position);
CREATE INDEX entries_by_end_to_end_id ON entries(end_to_end_id);

CREATE TABLE applications_v13 (
  id               INTEGER PRIMARY KEY,
  entry_id         BIGINT  NOT NULL REFERENCES entries(id),
  invoice_id       BIGINT  REFERENCES invoices(id),
  customer_id      BIGINT  REFERENCES customers(id),
  kind             TEXT    NOT NULL CHECK (kind IN ('apply', 'unapply', 'on_account', 'not_customer')),
  amount           BIGINT  NOT NULL,
  currency         TEXT    NOT NULL,
  reverses         BIGINT  REFERENCES applications(id),
  rule             TEXT    NOT NULL DEFAULT '',
  reason           TEXT    NOT NULL DEFAULT '',
  actor            TEXT    NOT NULL,
  created_at       TEXT    NOT NULL,
  invoice_amount   BIGINT,
  invoice_currency TEXT
);
INSERT INTO applications_v13(id, entry_id, invoice_id, customer_id, kind, amount, currency, reverses, rule, reason, actor,
                             created_at, invoice_amount, invoice_currency)
  SELECT id, entry_id, invoice_id, customer_id, kind, amount, currency, reverses, rule, reason, actor,
         created_at, invoice_amount, invoice_currency FROM applications;
DROP TABLE applications;
ALTER TABLE applications_v13 RENAME TO applications;
CREATE INDEX applications_by_entry ON applications(entry_id);
CREATE INDEX applications_by_invoice ON applications(invoice_id);
CREATE TRIGGER applications_no_update BEFORE UPDATE ON applications
BEGIN SELECT RAISE(ABORT, 'applications are append-only'); END;
CREATE TRIGGER applications_no_delete BEFORE DELETE ON applications
BEGIN SELECT RAISE(ABORT, 'applications are append-only'); END;

CREATE TABLE outbox_v13 (
  id               INTEGER PRIMARY KEY,
  destination      TEXT    NOT NULL,
  kind             TEXT    NOT NULL,
  idempotency_key  TEXT    NOT NULL UNIQUE,
  ordering_key     TEXT    NOT NULL DEFAULT '',
  payload          TEXT    NOT NULL,
  status           TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'dead', 'dropped')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT    NOT NULL,
  last_error       TEXT    NOT NULL DEFAULT '',
  created_at       TEXT    NOT NULL,
  delivered_at     TEXT,
  claimed_by       TEXT    NOT NULL DEFAULT '',
  claim_until      TEXT    NOT NULL DEFAULT '',
  remote_id        TEXT    NOT NULL DEFAULT '',
  lapsed_claims    INTEGER NOT NULL DEFAULT 0
);
INSERT INTO outbox_v13(id, destination, kind, idempotency_key, ordering_key, payload, status, attempts, next_attempt_at,
                       last_error, created_at, delivered_at, claimed_by, claim_until, remote_id, lapsed_claims)
  SELECT id, destination, kind, idempotency_key, ordering_key, payload, status, attempts, next_attempt_at,
         last_error, created_at, delivered_at, claimed_by, claim_until, remote_id, lapsed_claims FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v13 RENAME TO outbox;
CREATE INDEX outbox_by_order ON outbox(ordering_key, status, id);
CREATE INDEX outbox_claimable ON outbox(destination, status, id);
