-- arcd schema 3 (SQLite): ERP connectors and the transactional outbox.

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

-- The outbox again, with claims (a lease per daemon), the per-invoice order key, the ERP's id
-- of what a delivery created, and the dead and dropped states. SQLite cannot change a CHECK
-- constraint in place, hence the copy.
CREATE TABLE outbox_v3 (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
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
  remote_id        TEXT    NOT NULL DEFAULT ''
);
INSERT INTO outbox_v3(id, destination, kind, idempotency_key, payload, status, attempts, next_attempt_at, last_error,
                      created_at, delivered_at)
  SELECT id, destination, kind, idempotency_key, payload, CASE status WHEN 'failed' THEN 'dead' ELSE status END,
         attempts, next_attempt_at, last_error, created_at, delivered_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v3 RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_by_order ON outbox(ordering_key, status, id);
