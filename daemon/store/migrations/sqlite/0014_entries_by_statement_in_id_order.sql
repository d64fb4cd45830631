-- arcd schema 14 (SQLite): a statement's entries are indexed in id order.
-- `entries list --statement ID` pages by id (WHERE statement_id = ? AND id > ? ORDER BY id).
-- The index on (statement_id, position) made SQLite gather every entry of the statement and
-- sort them for each page: 40 ms a page at 200 000 entries, growing with the statement, so
-- listing a large statement cost its size squared. An index on statement_id alone holds the
-- rowid after it, which is the id: each page is a range read.
DROP INDEX entries_by_statement;
CREATE INDEX entries_by_statement ON entries(statement_id);
