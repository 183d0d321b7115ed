-- Version 4: search ranks name matches first, so the index keeps the folded head name as its own
-- column; households keep it too (search_name, filled by the code after this step, which folds),
-- and an index on the sort key lets a search read only the rows of the page it shows.
DROP TRIGGER households_fts_insert;
DROP TRIGGER households_fts_update;
DROP TRIGGER households_fts_delete;
DROP TABLE household_fts;
ALTER TABLE households ADD COLUMN search_name TEXT NOT NULL DEFAULT '';
CREATE INDEX households_search ON households(search_text, id, commune_code);
CREATE INDEX households_hamlet_search ON households(hamlet_code, search_text, id);
