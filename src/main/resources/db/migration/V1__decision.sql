-- One row per answered decision. Portable SQL: the same migration runs on H2 and PostgreSQL.
-- Lists (advice, fired rules, missing facts) and the request facts are JSON text: they are
-- read back whole, never queried inside.
CREATE TABLE decision (
    decision_id     UUID                     NOT NULL PRIMARY KEY,
    evaluated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    ruleset_version VARCHAR(64)              NOT NULL,
    outcome         VARCHAR(32)              NOT NULL,
    urgency         SMALLINT                 NOT NULL,
    request_facts   VARCHAR(4000)            NOT NULL,
    advice          VARCHAR(2000)            NOT NULL,
    fired_rules     VARCHAR(2000)            NOT NULL,
    missing_facts   VARCHAR(1000)            NOT NULL,
    client_subject  VARCHAR(255),
    client_issuer   VARCHAR(512),
    latency_micros  BIGINT                   NOT NULL
);

-- Listing pages by time (and optionally outcome), with the id as tie-breaker for the cursor.
CREATE INDEX decision_by_time ON decision (evaluated_at, decision_id);
CREATE INDEX decision_by_outcome_time ON decision (outcome, evaluated_at, decision_id);
