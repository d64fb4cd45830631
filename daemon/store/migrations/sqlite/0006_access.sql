-- arcd schema 6 (sqlite): API tokens, idempotent POSTs, the audit log's hash chain.

-- API tokens: only the SHA-256 of the secret is kept; the secret is shown once when made.
-- all_customers: a collector who may see and act on every customer, not only their own.
CREATE TABLE api_tokens (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  user_name     TEXT    NOT NULL,
  role          TEXT    NOT NULL CHECK (role IN ('viewer', 'collector', 'manager', 'admin')),
  all_customers INTEGER NOT NULL DEFAULT 0,
  token_hash    TEXT    NOT NULL UNIQUE,
  prefix        TEXT    NOT NULL,
  note          TEXT    NOT NULL DEFAULT '',
  created_at    TEXT    NOT NULL,
  created_by    TEXT    NOT NULL,
  expires_at    TEXT,
  revoked_at    TEXT,
  revoked_by    TEXT    NOT NULL DEFAULT '',
  last_used_at  TEXT
);

-- A POST carrying an Idempotency-Key: its answer, replayed when the same user sends the key
-- again. status 0: the first request is still being handled.
CREATE TABLE idempotency_keys (
  user_name     TEXT    NOT NULL,
  idem_key      TEXT    NOT NULL,
  request_hash  TEXT    NOT NULL,
  status        INTEGER NOT NULL DEFAULT 0,
  content_type  TEXT    NOT NULL DEFAULT '',
  response      TEXT    NOT NULL DEFAULT '',
  created_at    TEXT    NOT NULL,
  PRIMARY KEY (user_name, idem_key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys(created_at);

-- The hash chain (include/arcd/audit_chain.hpp). Records written before this migration keep
-- empty hashes; the chain starts with the first record after it.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE TABLE audit_chain_head (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  last_id   BIGINT  NOT NULL,
  last_hash TEXT    NOT NULL
);
INSERT INTO audit_chain_head(id, last_id, last_hash) VALUES (1, 0, '');
