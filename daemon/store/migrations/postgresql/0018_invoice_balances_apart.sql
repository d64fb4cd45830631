-- arcd schema 18 (PostgreSQL): what a payment changes on an invoice lives in a narrow table of
-- its own, invoice_balances, apart from what the ERP says the invoice is, invoice_records; the
-- view `invoices` joins them as the one table was, for every reader. The same schema as on
-- SQLite (where it halves what a cash-application run writes), so that both backends run the
-- same statements; here an update also writes a new version of a narrow row instead of a wide one.
-- The tables that reference invoices keep referencing the renamed table.

ALTER TABLE invoices RENAME TO invoice_records;

CREATE TABLE invoice_balances (
  invoice_id        BIGINT  PRIMARY KEY REFERENCES invoice_records(id),
  customer_id       BIGINT  NOT NULL REFERENCES customers(id),
  currency          TEXT    NOT NULL,
  due_date          TEXT    NOT NULL,
  amount_open       BIGINT  NOT NULL,
  amount_applied    BIGINT  NOT NULL DEFAULT 0,
  amount_adjusted   BIGINT  NOT NULL DEFAULT 0,
  status            TEXT    NOT NULL CHECK (status IN ('open', 'paid', 'cancelled')),
  version           BIGINT  NOT NULL DEFAULT 1,
  updated_at        TEXT    NOT NULL
);
INSERT INTO invoice_balances(invoice_id, customer_id, currency, due_date, amount_open, amount_applied, amount_adjusted, status,
                             version, updated_at)
  SELECT id, customer_id, currency, due_date, amount_open, amount_applied, amount_adjusted, status, version, updated_at
  FROM invoice_records ORDER BY id;

-- Their indexes go with them.
ALTER TABLE invoice_records DROP COLUMN customer_id, DROP COLUMN currency, DROP COLUMN due_date, DROP COLUMN amount_open,
  DROP COLUMN amount_applied, DROP COLUMN amount_adjusted, DROP COLUMN status, DROP COLUMN version, DROP COLUMN updated_at;

CREATE INDEX invoices_by_customer ON invoice_balances(customer_id);
CREATE INDEX invoices_open_by_customer ON invoice_balances(customer_id, currency, due_date) WHERE status = 'open';

-- The columns in the order the one table had them.
CREATE VIEW invoices AS
  SELECT b.invoice_id AS id, r.source AS source, r.number AS number, b.customer_id AS customer_id, r.issue_date AS issue_date,
         b.due_date AS due_date, b.currency AS currency, r.amount_total AS amount_total, b.amount_open AS amount_open,
         r.payment_reference AS payment_reference, b.status AS status, b.version AS version, r.created_at AS created_at,
         b.updated_at AS updated_at, r.erp_open AS erp_open, b.amount_applied AS amount_applied,
         b.amount_adjusted AS amount_adjusted, r.external_id AS external_id, r.amount_pushed AS amount_pushed,
         r.erp_pushed_at AS erp_pushed_at, r.collection_policy AS collection_policy
  FROM invoice_records r JOIN invoice_balances b ON b.invoice_id = r.id;
