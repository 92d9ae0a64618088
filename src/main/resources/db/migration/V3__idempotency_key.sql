-- Idempotency-Key (issue 17): a client's key for a decision, with the exact answer it was given, so
-- that a retry with the same key is answered the same again. Portable SQL for H2 and PostgreSQL.
-- A table beside the decision, written in the same transaction: the answer (about 10 KB with its
-- reasons' sources) is needed only while the key is honoured (triage.idempotency.retention, 24 h by
-- default), so it is deleted then, and the decision row itself is never changed. Deleting a
-- decision (retention-days) deletes its key with it.
CREATE TABLE decision_idempotency (
    client_subject  VARCHAR(255)             NOT NULL,
    -- '' for a token without an issuer: NULLs never collide in a unique constraint.
    client_issuer   VARCHAR(512)             NOT NULL,
    idempotency_key VARCHAR(255)             NOT NULL,
    decision_id     UUID                     NOT NULL REFERENCES decision (decision_id) ON DELETE CASCADE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    response        VARCHAR(1048576)         NOT NULL,
    -- The arbiter between concurrent first requests, also on different instances.
    CONSTRAINT decision_idempotency_per_client UNIQUE (client_subject, client_issuer, idempotency_key)
);
CREATE INDEX decision_idempotency_by_time ON decision_idempotency (created_at);
CREATE INDEX decision_idempotency_by_decision ON decision_idempotency (decision_id);
