-- arcd schema 12 (postgresql). On SQLite this version also turns the cash-application queues
-- (cash_inbox, cash_exceptions) into rowid tables; PostgreSQL keeps every table as a heap
-- beside its primary-key index anyway, so here there is nothing to change for them.

-- An import asks whether a stored file has its size before it decides to hash first.
CREATE INDEX raw_files_by_size ON raw_files(size);
