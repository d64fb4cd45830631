-- arcd schema 16 (postgresql). On SQLite this version restates the CHECKs that list three or
-- more values as ORs: SQLite built a temporary index of the values for every row it wrote.
-- PostgreSQL tests such a list against a constant array, at no such cost: nothing to change
-- here, and the version keeps both backends' schema numbers alike.
SELECT 1;
