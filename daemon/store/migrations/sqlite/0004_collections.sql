-- arcd schema 4 (SQLite): the collections workflow.

-- What segments a customer for dunning policies and the worklist, and who works it.
ALTER TABLE customers ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN risk_class TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN risk_computed_on TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN collector TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN account_manager TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN collection_policy TEXT NOT NULL DEFAULT '';  -- a per-customer override
ALTER TABLE customers ADD COLUMN credit_hold INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN collection_policy TEXT NOT NULL DEFAULT '';   -- a per-invoice override
CREATE INDEX invoices_open_by_customer ON invoices(status, customer_id, currency);

-- Whom to write to, by role (billing, ar, escalation). A hard bounce marks a contact invalid.
CREATE TABLE contacts (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id     BIGINT  NOT NULL REFERENCES customers(id),
  role            TEXT    NOT NULL,
  name            TEXT    NOT NULL DEFAULT '',
  email           TEXT    NOT NULL,
  invalid_reason  TEXT    NOT NULL DEFAULT '',
  invalid_at      TEXT    NOT NULL DEFAULT '',
  created_at      TEXT    NOT NULL,
  UNIQUE (customer_id, role, email)
);

-- Where each invoice stands in its policy: the last stage fired (or skipped), and when.
CREATE TABLE dunning_state (
  invoice_id      BIGINT  PRIMARY KEY REFERENCES invoices(id),
  policy          TEXT    NOT NULL,
  stage_index     INTEGER NOT NULL,
  stage           TEXT    NOT NULL,
  fired_on        TEXT    NOT NULL
);

-- Every stage an invoice reached, once: the primary key is what makes a stage fire once,
-- whatever crashes or reruns happen.
CREATE TABLE dunning_stages (
  invoice_id       BIGINT  NOT NULL REFERENCES invoices(id),
  stage            TEXT    NOT NULL,
  policy           TEXT    NOT NULL,
  stage_index      INTEGER NOT NULL,
  outcome          TEXT    NOT NULL CHECK (outcome IN ('fired', 'skipped')),
  run_date         TEXT    NOT NULL,
  communication_id BIGINT,
  created_at       TEXT    NOT NULL,
  PRIMARY KEY (invoice_id, stage)
);

-- Messages to customers: recorded and queued (outbox) in one transaction, sent at most once.
CREATE TABLE communications (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id     BIGINT  NOT NULL REFERENCES customers(id),
  currency        TEXT    NOT NULL,
  stage           TEXT    NOT NULL,
  template        TEXT    NOT NULL,
  language        TEXT    NOT NULL,
  recipients      TEXT    NOT NULL,   -- comma separated
  subject         TEXT    NOT NULL,
  invoices        TEXT    NOT NULL,   -- JSON array of invoice ids
  amount          BIGINT  NOT NULL,   -- the total overdue it names, minor units
  status          TEXT    NOT NULL CHECK (status IN ('queued', 'sent', 'bounced', 'failed', 'unknown')),
  message_id      TEXT    NOT NULL,
  run_date        TEXT    NOT NULL,
  error           TEXT    NOT NULL DEFAULT '',
  created_at      TEXT    NOT NULL,
  sent_at         TEXT    NOT NULL DEFAULT '',
  UNIQUE (customer_id, currency, run_date)
);

-- Disputes: on the whole invoice or an amount, with a reason code, owner and resolution.
ALTER TABLE disputes ADD COLUMN amount BIGINT;
ALTER TABLE disputes ADD COLUMN currency TEXT NOT NULL DEFAULT '';
ALTER TABLE disputes ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE disputes ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE disputes ADD COLUMN resolution TEXT NOT NULL DEFAULT '';
ALTER TABLE disputes ADD COLUMN resolved_by TEXT NOT NULL DEFAULT '';
CREATE INDEX disputes_open ON disputes(is_open, invoice_id);

-- Holds: on a customer or one invoice, bounded, ended early or by date; renewals counted.
ALTER TABLE holds ADD COLUMN invoice_id BIGINT REFERENCES invoices(id);
ALTER TABLE holds ADD COLUMN starts_on TEXT NOT NULL DEFAULT '';
ALTER TABLE holds ADD COLUMN ended_at TEXT NOT NULL DEFAULT '';
ALTER TABLE holds ADD COLUMN ended_by TEXT NOT NULL DEFAULT '';
ALTER TABLE holds ADD COLUMN renews BIGINT REFERENCES holds(id);
CREATE INDEX holds_by_customer ON holds(customer_id, ended_at);

-- Tasks: what made them (a key, so a run never makes one twice), and how they ended.
ALTER TABLE tasks ADD COLUMN invoice_id BIGINT REFERENCES invoices(id);
ALTER TABLE tasks ADD COLUMN source_key TEXT;
ALTER TABLE tasks ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN completed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN completed_at TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN note TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX tasks_by_source_key ON tasks(source_key);
CREATE INDEX tasks_open ON tasks(done, assignee);
CREATE INDEX activities_by_customer ON activities(customer_id, id);

-- Write-offs: proposed by one user, approved by another with the manager role.
CREATE TABLE writeoffs (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  invoice_id      BIGINT  NOT NULL REFERENCES invoices(id),
  amount          BIGINT  NOT NULL CHECK (amount > 0),
  currency        TEXT    NOT NULL,
  reason          TEXT    NOT NULL,
  state           TEXT    NOT NULL CHECK (state IN ('proposed', 'approved', 'rejected')),
  proposed_by     TEXT    NOT NULL,
  proposed_at     TEXT    NOT NULL,
  decided_by      TEXT    NOT NULL DEFAULT '',
  decided_at      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX writeoffs_by_invoice ON writeoffs(invoice_id, state);

-- One row per collections run date: a crashed run is finished by the next one.
CREATE TABLE collection_runs (
  run_date        TEXT    PRIMARY KEY,
  started_at      TEXT    NOT NULL,
  finished_at     TEXT    NOT NULL DEFAULT '',
  summary         TEXT    NOT NULL DEFAULT '{}'
);

-- The outbox learns which claims were taken over from a daemon that died while delivering:
-- for mail, whether it went out is unknown, and it is not sent again.
ALTER TABLE outbox ADD COLUMN lapsed_claims INTEGER NOT NULL DEFAULT 0;
