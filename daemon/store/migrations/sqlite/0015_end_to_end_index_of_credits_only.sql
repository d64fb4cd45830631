-- arcd schema 15: the end-to-end id index holds only what a reversal can look up.
-- Its one reader finds the credit a reversal or return undoes, by an end-to-end id that means
-- something (cashapp/reversal.cpp: not empty, NOTPROVIDED or NONREF). Debits, and credits whose
-- payer gave no id, were indexed for nothing: on an operating account about half the entries,
-- each a random insert into this index during an import. The query repeats this WHERE word for
-- word, which is how SQLite knows the partial index serves it.
DROP INDEX entries_by_end_to_end_id;
CREATE INDEX entries_by_end_to_end_id ON entries(end_to_end_id)
  WHERE direction = 'credit' AND end_to_end_id NOT IN ('', 'NOTPROVIDED', 'NONREF');
