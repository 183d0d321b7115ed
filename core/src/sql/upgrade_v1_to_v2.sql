-- Version 2: record-time plausibility flags, and the FTS5 household search index (version 1
-- searched with LIKE over households.search_text).
ALTER TABLE households ADD COLUMN time_flag TEXT;
ALTER TABLE visits ADD COLUMN time_flag TEXT;
ALTER TABLE sessions ADD COLUMN time_flag TEXT;
ALTER TABLE feedback ADD COLUMN time_flag TEXT;
DROP INDEX households_area;
CREATE INDEX households_area ON households(commune_code, hamlet_code, head_name);

CREATE VIRTUAL TABLE household_fts USING fts5(text, tokenize = 'unicode61', prefix = '1 2 3');
INSERT INTO household_fts(rowid, text) SELECT rowid, search_text FROM households;
CREATE TRIGGER households_fts_insert AFTER INSERT ON households BEGIN
    INSERT INTO household_fts(rowid, text) VALUES (new.rowid, new.search_text);
END;
CREATE TRIGGER households_fts_update AFTER UPDATE OF search_text ON households BEGIN
    UPDATE household_fts SET text = new.search_text WHERE rowid = new.rowid;
END;
CREATE TRIGGER households_fts_delete AFTER DELETE ON households BEGIN
    DELETE FROM household_fts WHERE rowid = old.rowid;
END;
