-- Version 4, after search_name is filled: the search index with its name column, rebuilt.
CREATE VIRTUAL TABLE household_fts USING fts5(name, text, tokenize = 'unicode61', prefix = '1 2 3');
INSERT INTO household_fts(rowid, name, text) SELECT rowid, search_name, search_text FROM households;
CREATE TRIGGER households_fts_insert AFTER INSERT ON households BEGIN
    INSERT INTO household_fts(rowid, name, text) VALUES (new.rowid, new.search_name, new.search_text);
END;
CREATE TRIGGER households_fts_update AFTER UPDATE OF search_name, search_text ON households BEGIN
    UPDATE household_fts SET name = new.search_name, text = new.search_text WHERE rowid = new.rowid;
END;
CREATE TRIGGER households_fts_delete AFTER DELETE ON households BEGIN
    DELETE FROM household_fts WHERE rowid = old.rowid;
END;
