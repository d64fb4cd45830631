-- arcd schema 13 (postgresql). On SQLite this version rebuilds entries, applications and the
-- outbox without AUTOINCREMENT, whose bookkeeping row SQLite rewrote on every insert.
-- PostgreSQL's identity columns draw from a sequence, which has no such cost: nothing to
-- change here, and the version keeps both backends' schema numbers alike.
SELECT 1;
