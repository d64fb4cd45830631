-- arcd schema 1 (SQLite). Money: BIGINT minor units + ISO 4217 code. Instants: ISO 8601 UTC
-- text ("2026-11-23T23:15:53Z"), dates "YYYY-MM-DD": both sort correctly as text.

CREATE TABLE customers (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  source       TEXT    NOT NULL,
  external_id  TEXT    NOT NULL,
  name         TEXT    NOT NULL,
  email        TEXT    NOT NULL DEFAULT '',
  tier         TEXT    NOT NULL DEFAULT '',
  version      BIGINT  NOT NULL DEFAULT 1,
  created_at   TEXT    NOT NULL,
  updated_at   TEXT    NOT NULL,
  UNIQUE (source, external_id)
);

CREATE TABLE customer_accounts (
  customer_id  BIGINT  NOT NULL REFERENCES customers(id),
  account      TEXT    NOT NULL,
  origin       TEXT    NOT NULL CHECK (origin IN ('master', 'learned')),
  created_at   TEXT    NOT NULL,
  PRIMARY KEY (customer_id, account)
);
CREATE INDEX customer_accounts_by_account ON customer_accounts(account);

CREATE TABLE invoices (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  source            TEXT    NOT NULL,
  number            TEXT    NOT NULL,
  customer_id       BIGINT  NOT NULL REFERENCES customers(id),
  issue_date        TEXT    NOT NULL,
  due_date          TEXT    NOT NULL,
  currency          TEXT    NOT NULL,
  amount_total      BIGINT  NOT NULL,
  amount_open       BIGINT  NOT NULL,
  payment_reference TEXT    NOT NULL DEFAULT '',
  status            TEXT    NOT NULL CHECK (status IN ('open', 'paid', 'cancelled')),
  version           BIGINT  NOT NULL DEFAULT 1,
  created_at        TEXT    NOT NULL,
  updated_at        TEXT    NOT NULL,
  UNIQUE (source, number)
);
CREATE INDEX invoices_by_customer ON invoices(customer_id, status);
CREATE INDEX invoices_by_payment_reference ON invoices(payment_reference);

-- Raw bank files, content-addressed; the bytes in chunks (SQLite caps one value at 1 GB, and
-- chunks keep memory flat when a large file is stored).
CREATE TABLE raw_files (
  sha256       TEXT    PRIMARY KEY,
  name         TEXT    NOT NULL,
  size         BIGINT  NOT NULL,
  received_at  TEXT    NOT NULL
);

CREATE TABLE raw_file_chunks (
  sha256       TEXT    NOT NULL REFERENCES raw_files(sha256),
  chunk        INTEGER NOT NULL,
  content      BLOB    NOT NULL,
  PRIMARY KEY (sha256, chunk)
);

CREATE TABLE statements (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  format             TEXT    NOT NULL,
  file_sha256        TEXT    NOT NULL REFERENCES raw_files(sha256) DEFERRABLE INITIALLY DEFERRED,
  account            TEXT    NOT NULL,
  currency           TEXT    NOT NULL,
  bank_statement_id  TEXT    NOT NULL DEFAULT '',
  sequence           BIGINT,
  created_at         TEXT,
  from_date          TEXT,
  to_date            TEXT,
  warnings           TEXT    NOT NULL DEFAULT '',
  kind               TEXT    NOT NULL DEFAULT 'statement',
  servicer_bic       TEXT    NOT NULL DEFAULT '',
  message_id         TEXT    NOT NULL DEFAULT '',
  imported_at        TEXT    NOT NULL
);
CREATE INDEX statements_by_account ON statements(account, to_date);

CREATE TABLE statement_balances (
  statement_id BIGINT  NOT NULL REFERENCES statements(id),
  position     INTEGER NOT NULL,
  type         TEXT    NOT NULL,
  amount       BIGINT  NOT NULL,
  currency     TEXT    NOT NULL,
  balance_date TEXT,
  PRIMARY KEY (statement_id, position)
);

CREATE TABLE entries (
  id                    INTEGER PRIMARY KEY AUTOINCREMENT,
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
CREATE INDEX entries_by_statement ON entries(statement_id, position);

-- Where each part of an entry went. Append only: a reversal is a new opposite row.
CREATE TABLE applications (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  entry_id     BIGINT  NOT NULL REFERENCES entries(id),
  invoice_id   BIGINT  REFERENCES invoices(id),
  customer_id  BIGINT  REFERENCES customers(id),
  kind         TEXT    NOT NULL CHECK (kind IN ('apply', 'unapply', 'on_account', 'not_customer')),
  amount       BIGINT  NOT NULL,
  currency     TEXT    NOT NULL,
  reverses     BIGINT  REFERENCES applications(id),
  rule         TEXT    NOT NULL DEFAULT '',
  reason       TEXT    NOT NULL DEFAULT '',
  actor        TEXT    NOT NULL,
  created_at   TEXT    NOT NULL
);
CREATE INDEX applications_by_entry ON applications(entry_id);
CREATE INDEX applications_by_invoice ON applications(invoice_id);
CREATE TRIGGER applications_no_update BEFORE UPDATE ON applications
BEGIN SELECT RAISE(ABORT, 'applications are append-only'); END;
CREATE TRIGGER applications_no_delete BEFORE DELETE ON applications
BEGIN SELECT RAISE(ABORT, 'applications are append-only'); END;

CREATE TABLE ptps (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id    BIGINT  NOT NULL REFERENCES customers(id),
  amount         BIGINT  NOT NULL,
  currency       TEXT    NOT NULL,
  promised_date  TEXT    NOT NULL,
  channel        TEXT    NOT NULL DEFAULT '',
  state          TEXT    NOT NULL,
  recorded_by    TEXT    NOT NULL,
  created_at     TEXT    NOT NULL
);
CREATE TABLE ptp_invoices (
  ptp_id      BIGINT NOT NULL REFERENCES ptps(id),
  invoice_id  BIGINT NOT NULL REFERENCES invoices(id),
  PRIMARY KEY (ptp_id, invoice_id)
);

CREATE TABLE disputes (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  invoice_id  BIGINT  NOT NULL REFERENCES invoices(id),
  reason      TEXT    NOT NULL,
  is_open     INTEGER NOT NULL DEFAULT 1,
  opened_by   TEXT    NOT NULL,
  opened_at   TEXT    NOT NULL,
  closed_at   TEXT
);

CREATE TABLE holds (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id  BIGINT  NOT NULL REFERENCES customers(id),
  reason       TEXT    NOT NULL,
  until_date   TEXT    NOT NULL,
  placed_by    TEXT    NOT NULL,
  placed_at    TEXT    NOT NULL
);

CREATE TABLE activities (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id  BIGINT  NOT NULL REFERENCES customers(id),
  kind         TEXT    NOT NULL,
  text         TEXT    NOT NULL,
  actor        TEXT    NOT NULL,
  at           TEXT    NOT NULL
);

CREATE TABLE tasks (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id  BIGINT  NOT NULL REFERENCES customers(id),
  kind         TEXT    NOT NULL,
  title        TEXT    NOT NULL,
  due_date     TEXT,
  done         INTEGER NOT NULL DEFAULT 0,
  assignee     TEXT    NOT NULL DEFAULT '',
  created_at   TEXT    NOT NULL
);

CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  destination      TEXT    NOT NULL,
  kind             TEXT    NOT NULL,
  idempotency_key  TEXT    NOT NULL UNIQUE,
  payload          TEXT    NOT NULL,
  status           TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT    NOT NULL,
  last_error       TEXT    NOT NULL DEFAULT '',
  created_at       TEXT    NOT NULL,
  delivered_at     TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

-- Who did what, when and why. Append only.
CREATE TABLE audit_log (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  at           TEXT    NOT NULL,
  actor        TEXT    NOT NULL,
  action       TEXT    NOT NULL,
  entity_type  TEXT    NOT NULL,
  entity_id    TEXT    NOT NULL,
  reason       TEXT    NOT NULL DEFAULT '',
  details      TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_by_entity ON audit_log(entity_type, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
