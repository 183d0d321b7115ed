-- Migration 001 (schema version 1): the base schema. Shipped: never edit it, add the next
-- numbered file instead (docs/architecture.md). The same text runs on SQLite and PostgreSQL:
-- BIGINT integers (times in ms since the epoch, booleans 0/1), TEXT ids, JSON bodies as TEXT.

CREATE TABLE schema_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);

-- Reference data. `seq` is the value of counter 'reference' at the last change: pulls send what
-- changed after a device's cursor.
CREATE TABLE areas (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    division_type TEXT NOT NULL,
    parent_code TEXT,
    seq BIGINT NOT NULL
);
CREATE INDEX areas_parent ON areas(parent_code);
CREATE INDEX areas_seq ON areas(seq);

CREATE TABLE org_units (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id TEXT,
    area_code TEXT,
    seq BIGINT NOT NULL
);

CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    org_unit_id TEXT NOT NULL,
    seq BIGINT NOT NULL
);
CREATE TABLE team_areas (
    team_id TEXT NOT NULL,
    area_code TEXT NOT NULL,
    PRIMARY KEY (team_id, area_code)
);
CREATE TABLE members (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    seq BIGINT NOT NULL
);
CREATE INDEX members_team ON members(team_id);

CREATE TABLE services (key TEXT PRIMARY KEY, body TEXT NOT NULL, seq BIGINT NOT NULL);
CREATE TABLE campaigns (id TEXT PRIMARY KEY, body TEXT NOT NULL, seq BIGINT NOT NULL);
CREATE TABLE targets (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL,
    team_id TEXT,
    org_unit_id TEXT,
    indicator TEXT NOT NULL,
    body TEXT NOT NULL,
    seq BIGINT NOT NULL
);
CREATE INDEX targets_team ON targets(team_id);

-- Devices and their one-time enrolment codes. Only hashes of secrets are stored.
CREATE TABLE enrol_codes (
    code_hash TEXT PRIMARY KEY,
    team_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    device_id TEXT
);
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    team_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    label TEXT NOT NULL,
    app_version TEXT NOT NULL,
    enrolled_at BIGINT NOT NULL,
    revoked_at BIGINT,
    last_seen_at BIGINT,
    last_push_at BIGINT
);
CREATE INDEX devices_team ON devices(team_id);

-- Field records. `body` is the record as merged/received (JSON); the columns are what queries
-- need. `received_at` is the server's clock: progress counts use it.
CREATE TABLE households (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL,
    commune_code TEXT NOT NULL,
    hamlet_code TEXT,
    dup_key TEXT NOT NULL,
    erased BIGINT NOT NULL,
    body TEXT NOT NULL,
    first_received_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX households_team ON households(team_id);
CREATE INDEX households_dup ON households(dup_key);
CREATE TABLE household_versions (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX household_versions_household ON household_versions(household_id);

CREATE TABLE visits (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    campaign_id TEXT,
    revision BIGINT NOT NULL,
    supersedes TEXT,
    superseded_by TEXT,
    started_at BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    people_reached BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    device_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX visits_household ON visits(household_id);
CREATE INDEX visits_team_received ON visits(team_id, received_at);
CREATE INDEX visits_supersedes ON visits(supersedes);

CREATE TABLE assists (
    id TEXT PRIMARY KEY,
    visit_id TEXT NOT NULL,
    service_key TEXT NOT NULL,
    level_43 TEXT,
    level_42 TEXT,
    result TEXT NOT NULL,
    dossier_code TEXT,
    not_finished_reason TEXT
);
CREATE INDEX assists_visit ON assists(visit_id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    campaign_id TEXT,
    kind TEXT NOT NULL,
    area_code TEXT NOT NULL,
    held_on TEXT NOT NULL,
    attendees BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    device_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX sessions_team_received ON sessions(team_id, received_at);

CREATE TABLE feedback (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    category TEXT NOT NULL,
    area_code TEXT,
    received_at BIGINT NOT NULL,
    device_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX feedback_team ON feedback(team_id);

-- Records deleted by a coordinator: a phone sending one again is told "deleted".
CREATE TABLE deleted_records (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    deleted_at BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
);

-- Data-quality flags for coordinators (probable duplicates, clocks far off, …).
CREATE TABLE flags (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    other_id TEXT,
    team_id TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    resolved_at BIGINT,
    resolution TEXT
);
CREATE UNIQUE INDEX flags_unique ON flags(kind, record_id, other_id);
CREATE INDEX flags_team ON flags(team_id, resolved_at);
