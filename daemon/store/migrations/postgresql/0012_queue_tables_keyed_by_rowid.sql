-- arcd schema 12 (postgresql): nothing to change. On SQLite this version turns the
-- cash-application queues (cash_inbox, cash_exceptions) into rowid tables; PostgreSQL keeps
-- every table as a heap beside its primary-key index anyway. The version exists on both
-- backends so that a schema number means the same release everywhere.
SELECT 1;
