-- arcd: edits schema text
-- arcd schema 16: a CHECK that lists three or more values says it with ORs.
-- SQLite tests `x IN ('a', 'b', 'c')` against a temporary index that it builds anew for every
-- row it writes (opening, filling and closing a b-tree): 300k inserts into a table with one
-- such CHECK took 0.78 s, with the same CHECK written `x = 'a' OR x = 'b' OR x = 'c'` 0.26 s.
-- Every imported entry paid it (status), every applied payment three times (the application's
-- kind, its outbox event's status, the invoice's status). Two values cost nothing: SQLite
-- writes such a list as two comparisons itself.
-- The constraints mean what they meant and every stored row meets them, so the tables' text
-- is edited in place (schema_text_edit.hpp says how), not rebuilt: no row is copied. A table
-- whose text was not found is left as it was; a store test holds every table to the rule.
UPDATE sqlite_schema SET sql = replace(sql,
  'CHECK (status IN (''open'', ''paid'', ''cancelled''))',
  'CHECK (status = ''open'' OR status = ''paid'' OR status = ''cancelled'')')
  WHERE type = 'table' AND name = 'invoices';
UPDATE sqlite_schema SET sql = replace(sql,
  'CHECK (status IN (''booked'', ''pending'', ''info''))',
  'CHECK (status = ''booked'' OR status = ''pending'' OR status = ''info'')')
  WHERE type = 'table' AND name = 'entries';
UPDATE sqlite_schema SET sql = replace(sql,
  'CHECK (kind IN (''apply'', ''unapply'', ''on_account'', ''not_customer''))',
  'CHECK (kind = ''apply'' OR kind = ''unapply'' OR kind = ''on_account'' OR kind = ''not_customer'')')
  WHERE type = 'table' AND name = 'applications';
UPDATE sqlite_schema SET sql = replace(sql,
  'CHECK (status IN (''pending'', ''delivered'', ''dead'', ''dropped''))',
  'CHECK (status = ''pending'' OR status = ''delivered'' OR status = ''dead'' OR status = ''dropped'')')
  WHERE type = 'table' AND name = 'outbox';
UPDATE sqlite_schema SET sql = replace(sql,
  'CHECK (status IN (''queued'', ''sent'', ''bounced'', ''failed'', ''unknown''))',
  'CHECK (status = ''queued'' OR status = ''sent'' OR status = ''bounced'' OR status = ''failed'' OR status = ''unknown'')')
  WHERE type = 'table' AND name = 'communications';
UPDATE sqlite_schema SET sql = replace(sql,
  'CHECK (state IN (''proposed'', ''approved'', ''rejected''))',
  'CHECK (state = ''proposed'' OR state = ''approved'' OR state = ''rejected'')')
  WHERE type = 'table' AND name = 'writeoffs';
UPDATE sqlite_schema SET sql = replace(sql,
  'CHECK (role IN (''viewer'', ''collector'', ''manager'', ''admin''))',
  'CHECK (role = ''viewer'' OR role = ''collector'' OR role = ''manager'' OR role = ''admin'')')
  WHERE type = 'table' AND name = 'api_tokens';
