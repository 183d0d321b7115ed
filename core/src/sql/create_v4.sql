-- Gõ Cửa device store, schema version 4 (fresh databases). Keep in step with the upgrade steps:
-- tests/migrations.rs checks that upgrading every earlier version yields exactly this.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Reference data downloaded from the server (read-only on the phone).
CREATE TABLE areas (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    level         TEXT NOT NULL,
    division_type TEXT NOT NULL,
    parent_code   TEXT
) WITHOUT ROWID;
CREATE INDEX areas_parent ON areas(parent_code);

CREATE TABLE reference_items (
    kind TEXT NOT NULL,
    id   TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;

CREATE TABLE households (
    id             TEXT PRIMARY KEY,
    commune_code   TEXT NOT NULL,
    hamlet_code    TEXT,
    address_line   TEXT NOT NULL,
    head_name      TEXT NOT NULL,
    phone          TEXT,
    members        INTEGER NOT NULL,
    consent        TEXT,
    erased         INTEGER NOT NULL DEFAULT 0,
    created_by     TEXT NOT NULL,
    team_id        TEXT NOT NULL,
    created_utc    INTEGER NOT NULL,
    created_offset INTEGER NOT NULL,
    clocks         TEXT NOT NULL,
    search_text    TEXT NOT NULL,
    updated_utc    INTEGER NOT NULL,
    time_flag      TEXT,
    search_name    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX households_area ON households(commune_code, hamlet_code, head_name);
-- Searches in name order (added in version 4): walked in order, so a page reads only the rows it
-- shows; the commune column lets a search within a commune skip others without a row read, and
-- a search within a hamlet walks only that hamlet's entries.
CREATE INDEX households_search ON households(search_text, id, commune_code);
CREATE INDEX households_hamlet_search ON households(hamlet_code, search_text, id);

CREATE TABLE visits (
    id              TEXT PRIMARY KEY,
    household_id    TEXT NOT NULL REFERENCES households(id),
    volunteer_id    TEXT NOT NULL,
    team_id         TEXT NOT NULL,
    campaign_id     TEXT,
    revision        INTEGER NOT NULL,
    supersedes      TEXT REFERENCES visits(id),
    superseded_by   TEXT,
    started_at      INTEGER NOT NULL,
    ended_at        INTEGER,
    outcome         TEXT NOT NULL,
    people_reached  INTEGER NOT NULL,
    gps_lat         REAL,
    gps_lon         REAL,
    gps_accuracy_m  REAL,
    note            TEXT,
    follow_up_on    TEXT,
    recorded_utc    INTEGER NOT NULL,
    recorded_offset INTEGER NOT NULL,
    hlc             TEXT NOT NULL,
    time_flag       TEXT
);
CREATE INDEX visits_household ON visits(household_id, started_at);
CREATE INDEX visits_started ON visits(started_at);
CREATE INDEX visits_follow_up ON visits(follow_up_on) WHERE follow_up_on IS NOT NULL AND superseded_by IS NULL;

CREATE TABLE assists (
    id                  TEXT PRIMARY KEY,
    visit_id            TEXT NOT NULL REFERENCES visits(id),
    position            INTEGER NOT NULL,
    service_key         TEXT NOT NULL,
    level_43            TEXT,
    level_42            TEXT,
    result              TEXT NOT NULL,
    dossier_code        TEXT,
    not_finished_reason TEXT
);
CREATE INDEX assists_visit ON assists(visit_id, position);

CREATE TABLE sessions (
    id              TEXT PRIMARY KEY,
    team_id         TEXT NOT NULL,
    volunteer_id    TEXT NOT NULL,
    campaign_id     TEXT,
    kind            TEXT NOT NULL,
    area_code       TEXT NOT NULL,
    place           TEXT NOT NULL,
    held_on         TEXT NOT NULL,
    attendees       INTEGER NOT NULL,
    materials       TEXT NOT NULL,
    note            TEXT,
    recorded_utc    INTEGER NOT NULL,
    recorded_offset INTEGER NOT NULL,
    hlc             TEXT NOT NULL,
    time_flag       TEXT
);
CREATE INDEX sessions_held ON sessions(held_on);

CREATE TABLE feedback (
    id              TEXT PRIMARY KEY,
    team_id         TEXT NOT NULL,
    volunteer_id    TEXT NOT NULL,
    source_type     TEXT NOT NULL,
    source_id       TEXT,
    category        TEXT NOT NULL,
    text            TEXT NOT NULL,
    area_code       TEXT,
    recorded_utc    INTEGER NOT NULL,
    recorded_offset INTEGER NOT NULL,
    hlc             TEXT NOT NULL,
    time_flag       TEXT
);

-- The upload queue: one entry per record, in the same transaction as the record's change.
-- change_counter moves on every local change; sent_counter remembers what an in-flight push
-- carried, so an edit made during the push sends the record again instead of being lost.
CREATE TABLE outbox (
    kind              TEXT NOT NULL,
    record_id         TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'accepted', 'rejected', 'deleted')),
    change_counter    INTEGER NOT NULL,
    sent_counter      INTEGER,
    attempts          INTEGER NOT NULL DEFAULT 0,
    queued_at         INTEGER NOT NULL,
    last_attempt_at   INTEGER,
    settled_at        INTEGER,
    reason_code       TEXT,
    reason_message_vi TEXT,
    reason_message_en TEXT,
    reason_field      TEXT,
    PRIMARY KEY (kind, record_id)
) WITHOUT ROWID;
CREATE INDEX outbox_state ON outbox(state, queued_at);

-- Diacritic-insensitive household search (added in version 2; the name column in version 4, for
-- ranking name matches first): folded words, prefix-indexed.
CREATE VIRTUAL TABLE household_fts USING fts5(name, text, tokenize = 'unicode61', prefix = '1 2 3');
CREATE TRIGGER households_fts_insert AFTER INSERT ON households BEGIN
    INSERT INTO household_fts(rowid, name, text) VALUES (new.rowid, new.search_name, new.search_text);
END;
CREATE TRIGGER households_fts_update AFTER UPDATE OF search_name, search_text ON households BEGIN
    UPDATE household_fts SET name = new.search_name, text = new.search_text WHERE rowid = new.rowid;
END;
CREATE TRIGGER households_fts_delete AFTER DELETE ON households BEGIN
    DELETE FROM household_fts WHERE rowid = old.rowid;
END;

-- Half-filled forms (added in version 3): an opaque body the app writes, keyed by the form and a
-- key the app chooses. Never queued, never sent; deleted when the form's record is saved.
CREATE TABLE drafts (
    form        TEXT NOT NULL,
    key         TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_utc INTEGER NOT NULL,
    PRIMARY KEY (form, key)
) WITHOUT ROWID;
