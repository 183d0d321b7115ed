-- Migration 004 (schema version 4): the rollup is kept up to date by increments instead of being
-- rewritten per upload (domain/rollup.rs). It adds the tables the increments need, empty, so it
-- is marked as leaving derived tables stale (db/migrate.rs): upgrading rebuilds the rollups, and
-- these tables with them, in the same transaction.

-- The day (of receipt, the deployment's calendar) each household was first visited and met by a
-- team in a campaign, and each hamlet first covered: an upload's new households and hamlets are
-- those without a row yet, so the distinct counts of `rollup_days` grow without a recount.
CREATE TABLE rollup_households (
    team_id TEXT NOT NULL,
    campaign_id TEXT NOT NULL,
    household_id TEXT NOT NULL,
    day TEXT NOT NULL,
    PRIMARY KEY (team_id, campaign_id, household_id)
);
CREATE TABLE rollup_hamlets (
    team_id TEXT NOT NULL,
    campaign_id TEXT NOT NULL,
    hamlet_code TEXT NOT NULL,
    day TEXT NOT NULL,
    PRIMARY KEY (team_id, campaign_id, hamlet_code)
);

-- Per team: the reference data (the `reference` counter) its rollup was counted with. An upload
-- arriving after the catalogue, the areas or the campaigns changed recounts the team in full.
CREATE TABLE rollup_teams (
    team_id TEXT PRIMARY KEY,
    reference_seq BIGINT NOT NULL
);
