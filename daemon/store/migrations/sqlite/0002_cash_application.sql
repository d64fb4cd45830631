-- arcd schema 2 (SQLite): cash application and promise-to-pay fulfilment.

-- An invoice's open amount is arcd's own: what the ERP last said was open (erp_open) less
-- what arcd applied since (amount_applied, net of unapplies) and the small differences it
-- closed within tolerance (amount_adjusted). All in the invoice's currency.
ALTER TABLE invoices ADD COLUMN erp_open BIGINT NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN amount_applied BIGINT NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN amount_adjusted BIGINT NOT NULL DEFAULT 0;
UPDATE invoices SET erp_open = amount_open;

-- Booked entries cash application has not looked at yet. An entry is written here when it is
-- stored booked (or marked booked later) and leaves when a run has placed or queued it; an
-- entry in neither this table nor the exception queue is done.
CREATE TABLE cash_inbox (
  entry_id     BIGINT  PRIMARY KEY REFERENCES entries(id)
);
INSERT INTO cash_inbox(entry_id) SELECT id FROM entries WHERE status = 'booked';
-- What a reversal or return may undo is found by its end-to-end id. (Measured: this index
-- costs about a quarter of the import throughput; an index on the amount cost more.)
CREATE INDEX entries_by_end_to_end_id ON entries(end_to_end_id);

-- What people type: an invoice number or a customer's ERP id, in whichever source it is.
CREATE INDEX invoices_by_number ON invoices(number);
CREATE INDEX customers_by_external_id ON customers(external_id);

-- A cross-currency application: the amount in the invoice's currency beside the entry's.
ALTER TABLE applications ADD COLUMN invoice_amount BIGINT;
ALTER TABLE applications ADD COLUMN invoice_currency TEXT;

-- A difference closed within tolerance (bank charges, small short pay). Append only.
CREATE TABLE adjustments (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  invoice_id      BIGINT  NOT NULL REFERENCES invoices(id),
  entry_id        BIGINT  REFERENCES entries(id),
  amount          BIGINT  NOT NULL,
  currency        TEXT    NOT NULL,
  reason          TEXT    NOT NULL,
  actor           TEXT    NOT NULL,
  created_at      TEXT    NOT NULL
);
CREATE INDEX adjustments_by_invoice ON adjustments(invoice_id);
CREATE TRIGGER adjustments_no_update BEFORE UPDATE ON adjustments
BEGIN SELECT RAISE(ABORT, 'adjustments are append-only'); END;
CREATE TRIGGER adjustments_no_delete BEFORE DELETE ON adjustments
BEGIN SELECT RAISE(ABORT, 'adjustments are append-only'); END;

-- The exception queue: an entry's unplaced amount, why, and the ranked candidates (JSON).
CREATE TABLE cash_exceptions (
  entry_id     BIGINT  PRIMARY KEY REFERENCES entries(id),
  amount       BIGINT  NOT NULL CHECK (amount > 0),
  currency     TEXT    NOT NULL,
  reason       TEXT    NOT NULL,
  detail       TEXT    NOT NULL DEFAULT '',
  candidates   TEXT    NOT NULL DEFAULT '[]',
  customer_id  BIGINT  REFERENCES customers(id),
  updated_at   TEXT    NOT NULL
);

-- References arcd issued (on reminders, in direct-debit collections) and what they stand for.
CREATE TABLE issued_references (
  reference    TEXT    PRIMARY KEY,
  invoice_id   BIGINT  REFERENCES invoices(id),
  customer_id  BIGINT  REFERENCES customers(id),
  kind         TEXT    NOT NULL,
  created_at   TEXT    NOT NULL
);

-- Promise-to-pay fulfilment: what has been paid against it, its grace, and every change.
ALTER TABLE ptps ADD COLUMN paid BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ptps ADD COLUMN grace_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ptps ADD COLUMN updated_at TEXT;
CREATE INDEX ptps_by_customer ON ptps(customer_id, state);
CREATE TABLE ptp_events (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  ptp_id          BIGINT  NOT NULL REFERENCES ptps(id),
  state           TEXT    NOT NULL,
  paid            BIGINT  NOT NULL,
  application_id  BIGINT  REFERENCES applications(id),
  note            TEXT    NOT NULL DEFAULT '',
  actor           TEXT    NOT NULL,
  at              TEXT    NOT NULL
);
CREATE INDEX ptp_events_by_ptp ON ptp_events(ptp_id);
