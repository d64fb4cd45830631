-- arcd schema 3 (PostgreSQL): ERP connectors and the transactional outbox.

-- The ERP's own id of an invoice (Odoo's account.move id, ERPNext's name, Business Central's
-- GUID); empty for sources that have none (CSV), where the number is the key.
ALTER TABLE invoices ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
-- What of arcd's applications the ERP has acknowledged (payments created there, net of those
-- cancelled), in the invoice's currency, and when arcd last pushed one. The ERP's open amount
-- already reflects what it acknowledged, so arcd's open amount is
-- erp_open - (amount_applied - amount_pushed) - amount_adjusted.
ALTER TABLE invoices ADD COLUMN amount_pushed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN erp_pushed_at TEXT NOT NULL DEFAULT '';
CREATE INDEX invoices_by_external_id ON invoices(source, external_id);

-- Where incremental pulls resume, per connector instance and what is pulled.
CREATE TABLE sync_cursors (
  source          TEXT    NOT NULL,
  stream          TEXT    NOT NULL,
  cursor          TEXT    NOT NULL DEFAULT '',
  full_sweep_at   TEXT    NOT NULL DEFAULT '',
  updated_at      TEXT    NOT NULL,
  PRIMARY KEY (source, stream)
);

-- Claims (a lease per daemon), the per-invoice order key, the ERP's id of what a delivery
-- created, and the dead and dropped states.
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
UPDATE outbox SET status = 'dead' WHERE status = 'failed';
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'delivered', 'dead', 'dropped'));
ALTER TABLE outbox ADD COLUMN ordering_key TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN claim_until TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN remote_id TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_by_order ON outbox(ordering_key, status, id);
