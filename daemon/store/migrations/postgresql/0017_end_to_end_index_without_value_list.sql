-- arcd schema 17: the end-to-end id index of schema 15 names the ids it leaves out one by one.
-- `end_to_end_id NOT IN ('', 'NOTPROVIDED', 'NONREF')` cost SQLite a temporary index of the
-- three values for every credit it stored (see schema 16); three comparisons cost nothing.
-- The reversal lookup repeats this WHERE word for word, which is how SQLite knows the partial
-- index serves it (cashapp/reversal.cpp names the same ids).
DROP INDEX entries_by_end_to_end_id;
CREATE INDEX entries_by_end_to_end_id ON entries(end_to_end_id)
  WHERE direction = 'credit' AND end_to_end_id <> '' AND end_to_end_id <> 'NOTPROVIDED' AND end_to_end_id <> 'NONREF';
