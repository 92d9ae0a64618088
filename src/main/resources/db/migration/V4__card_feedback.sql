-- CDS Hooks 2.0 feedback: what a CDS client's user did with a card the service returned. A card's
-- uuid IS its decision's id, so each item references the decision and goes with it when retention
-- (retention-days) deletes the decision. Portable SQL for H2 and PostgreSQL.
-- One row per feedback item, never updated: a client may send several for one card over time
-- (accepted first, overridden later), and each is kept as it came.
CREATE TABLE card_feedback (
    feedback_id       UUID                     NOT NULL PRIMARY KEY,
    -- The order items were received in, also within one request (received_at ties there).
    received_seq      BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL,
    decision_id       UUID                     NOT NULL REFERENCES decision (decision_id) ON DELETE CASCADE,
    outcome           VARCHAR(16)              NOT NULL,
    -- The override reason's Coding as the client sent it; the service accepts only its own codes
    -- (feedback.OverrideReasons), and only on overridden items.
    override_code     VARCHAR(64),
    override_system   VARCHAR(255),
    override_display  VARCHAR(255),
    user_comment      VARCHAR(2000),
    -- When the user acted, as the client sent it; received_at is the service's own clock.
    outcome_timestamp TIMESTAMP WITH TIME ZONE NOT NULL,
    received_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    -- The verified CDS client's configured name (the decision's client_subject).
    client_name       VARCHAR(255)             NOT NULL,
    CONSTRAINT card_feedback_outcome CHECK (outcome IN ('accepted', 'overridden')),
    -- Only an overridden card has a reason; whether an overridden one must have one is the service's choice.
    CONSTRAINT card_feedback_reason_only_when_overridden CHECK (outcome = 'overridden' OR
        (override_code IS NULL AND override_system IS NULL AND override_display IS NULL AND user_comment IS NULL))
);
-- A decision's feedback in the order received; also what the cascade from decision deletes uses.
CREATE INDEX card_feedback_by_decision ON card_feedback (decision_id, received_seq);

-- The rules that fired in the decision of each OVERRIDDEN item, copied from decision.fired_rules
-- (JSON text that neither database can unpack portably, and a decision never changes): the
-- clinicians' rules view counts overrides per rule with one GROUP BY over this table, whose size
-- follows the overrides, not the decisions.
CREATE TABLE card_feedback_rule (
    feedback_id UUID         NOT NULL REFERENCES card_feedback (feedback_id) ON DELETE CASCADE,
    rule_id     VARCHAR(255) NOT NULL,
    CONSTRAINT card_feedback_rule_pk PRIMARY KEY (feedback_id, rule_id)
);
