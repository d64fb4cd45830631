-- arcd schema 8 (postgresql): what each treasury system has received. A snapshot remembers the last
-- application it covers (receipts_through), so the next feed to a destination carries exactly
-- the receipts applied since the last one that destination acknowledged, and lists the
-- references that vanished since then, however many snapshots it missed while it was down.
-- The snapshot itself (the feed JSON, flows only) is kept once, however many destinations it
-- goes to, until every destination has something newer (then it is pruned).
ALTER TABLE forecast_feeds ADD COLUMN receipts_through BIGINT NOT NULL DEFAULT 0;
ALTER TABLE forecast_feeds ADD COLUMN body TEXT NOT NULL DEFAULT '';
CREATE TABLE tms_deliveries (
  destination       TEXT    PRIMARY KEY,
  version           BIGINT  NOT NULL REFERENCES forecast_feeds(version),
  feed_id           TEXT    NOT NULL,
  receipts_through  BIGINT  NOT NULL,
  delivered_at      TEXT    NOT NULL
);
