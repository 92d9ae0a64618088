-- Rule-set history: every rule set that became active, stored once by version (its content hash),
-- and one row per activation. Portable SQL for H2 and PostgreSQL. Files and rules are JSON text,
-- read back whole. Rule sets are never deleted by retention: a retained decision may name any of
-- them, and they are small (the default rules are about 100 KB).
CREATE TABLE ruleset (
    version         VARCHAR(64)              NOT NULL PRIMARY KEY,
    stored_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    files           VARCHAR(10485760)        NOT NULL,
    rules           VARCHAR(10485760)        NOT NULL,
    rule_count      INTEGER                  NOT NULL,
    scenario_count  INTEGER                  NOT NULL,
    impact_report   VARCHAR(10485760)
);
CREATE INDEX ruleset_by_time ON ruleset (stored_at, version);

CREATE TABLE ruleset_activation (
    activation_id    UUID                     NOT NULL PRIMARY KEY,
    version          VARCHAR(64)              NOT NULL,
    previous_version VARCHAR(64),
    activated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    activation_trigger VARCHAR(32)            NOT NULL,
    requested_by     VARCHAR(255),
    approved_by      VARCHAR(255),
    approval_comment VARCHAR(2000),
    instance         VARCHAR(255)             NOT NULL
);
CREATE INDEX ruleset_activation_by_version ON ruleset_activation (version, activated_at);
CREATE INDEX ruleset_activation_by_time ON ruleset_activation (activated_at, activation_id);
