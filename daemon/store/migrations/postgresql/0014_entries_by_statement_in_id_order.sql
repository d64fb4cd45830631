-- arcd schema 14 (postgresql): a statement's entries are indexed in id order.
-- `entries list --statement ID` pages by id (WHERE statement_id = ? AND id > ? ORDER BY id);
-- on (statement_id, position) each page had to collect and sort the statement's entries.
DROP INDEX entries_by_statement;
CREATE INDEX entries_by_statement ON entries(statement_id, id);
