-- Schema 8: walk lists. A team leader (from the phone) or a coordinator (from the dashboard)
-- gives a member of the team a hamlet or a household to cover in a campaign. Revoked, never
-- deleted: a revocation is a later state of the same record, merged by its hybrid clock (the
-- body's `hlc`), like households. Times are epoch ms.
CREATE TABLE assignments (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    -- The target: a hamlet (commune_code + hamlet_code) or a household (household_id; then
    -- commune_code is the household's commune when the assignment was made).
    commune_code TEXT NOT NULL,
    hamlet_code TEXT,
    household_id TEXT,
    revoked BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    -- The record as last accepted (JSON), as for the other records phones send.
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- The reference sequence of its last change (phones pull a team's assignments with the
    -- reference data).
    seq BIGINT NOT NULL
);
CREATE INDEX assignments_team ON assignments(team_id, campaign_id);
