-- arcd schema 7 (sqlite): the inflow feed snapshots sent to treasury. Each has a version (its
-- id, increasing) and the references it held, so the next one can list what vanished.
CREATE TABLE forecast_feeds (
  version       INTEGER PRIMARY KEY AUTOINCREMENT,
  feed_id       TEXT    NOT NULL UNIQUE,
  generated_at  TEXT    NOT NULL,
  refs          TEXT    NOT NULL DEFAULT '[]',
  flows         INTEGER NOT NULL DEFAULT 0
);
