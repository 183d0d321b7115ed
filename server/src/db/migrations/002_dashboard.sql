-- Migration 002 (schema version 2): the coordinators' dashboard. Shipped: never edit it. It adds
-- the rollup tables, so it is marked as leaving derived tables stale (db/migrate.rs): upgrading a
-- version-1 database rebuilds the rollups in the same transaction.

-- Coordinator accounts. `role`: admin (also manages accounts), coordinator (works with personal
-- data in scope), viewer (progress and reports only, no personal data). Scope: `org_unit_id`'s subtree.
CREATE TABLE coordinators (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    org_unit_id TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_logins BIGINT NOT NULL,
    locked_until BIGINT,
    created_at BIGINT NOT NULL,
    disabled_at BIGINT
);

-- Browser sessions: only the SHA-256 of the cookie's secret is kept.
CREATE TABLE web_sessions (
    token_hash TEXT PRIMARY KEY,
    coordinator_id TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX web_sessions_coordinator ON web_sessions(coordinator_id);

-- Every coordinator action that changes something, and logins.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at BIGINT NOT NULL,
    coordinator_id TEXT,
    username TEXT NOT NULL,
    org_unit_id TEXT,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);

-- Progress rollup: per team, campaign and Vietnamese calendar day of receipt, what that day
-- added to the team's campaign tally (distinct households and hamlets count on the day they were
-- first reached in the campaign). Rewritten for a team when it uploads; pages sum it.
CREATE TABLE rollup_days (
    campaign_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    day TEXT NOT NULL,
    visits BIGINT NOT NULL,
    sessions BIGINT NOT NULL,
    people_reached BIGINT NOT NULL,
    households_visited BIGINT NOT NULL,
    services_supported BIGINT NOT NULL,
    services_toan_trinh BIGINT NOT NULL,
    services_level4 BIGINT NOT NULL,
    guided_only BIGINT NOT NULL,
    vneid_activations BIGINT NOT NULL,
    hamlets_covered BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, team_id, day)
);
CREATE INDEX rollup_days_team ON rollup_days(team_id);

-- The same per team and campaign over the whole campaign (the sum of its days), so the most
-- asked view — a campaign from start to now — reads one row per team.
CREATE TABLE rollup_totals (
    campaign_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    visits BIGINT NOT NULL,
    sessions BIGINT NOT NULL,
    people_reached BIGINT NOT NULL,
    households_visited BIGINT NOT NULL,
    services_supported BIGINT NOT NULL,
    services_toan_trinh BIGINT NOT NULL,
    services_level4 BIGINT NOT NULL,
    guided_only BIGINT NOT NULL,
    vneid_activations BIGINT NOT NULL,
    hamlets_covered BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, team_id)
);
CREATE INDEX rollup_totals_team ON rollup_totals(team_id);
CREATE INDEX flags_kind ON flags(resolved_at, kind);
CREATE INDEX visits_volunteer_started ON visits(volunteer_id, started_at);
