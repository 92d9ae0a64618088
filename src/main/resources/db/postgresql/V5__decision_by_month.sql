-- PostgreSQL only (issue 19): the decision table partitioned by month of evaluated_at, so that
-- retention drops a whole expired month instead of deleting its rows one by one. H2 keeps the
-- unpartitioned table of V1: it is for one machine, where the volume never calls for this.
-- DecisionStore runs this folder after db/migration only on PostgreSQL. A later migration in
-- db/migration that references decision must work on both shapes (see the foreign keys below).
--
-- Flyway runs this file in one transaction: an existing table is converted whole or not at all.
-- The rows are copied under an exclusive lock; writers of a running old release wait (and answer
-- 503 after triage.store.write-timeout) until it commits.
LOCK TABLE decision IN ACCESS EXCLUSIVE MODE;

-- A primary key of a partitioned table must contain the partition key, so decision_id alone is no
-- longer unique in the database. It stays unique in fact: the service makes every id with
-- UUID.randomUUID() (122 random bits), and lookups by id probe each month's primary-key index,
-- whose first column is decision_id.
-- Foreign keys to a partitioned table must name such a key (decision_id, evaluated_at); the two
-- tables that reference a decision hold only its id (card_feedback) or would cascade-delete when a
-- row moves between partitions (decision_idempotency). Their foreign keys become triggers with the
-- same effect, below, so the service's code and behaviour stay as on H2.
DO $$
DECLARE fk record;
BEGIN
    FOR fk IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
              WHERE contype = 'f' AND confrelid = 'decision'::regclass LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.tbl, fk.conname);
    END LOOP;
END $$;

CREATE TABLE decision_by_month (
    decision_id     UUID                     NOT NULL,
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
) PARTITION BY RANGE (evaluated_at);

-- One partition per calendar month in UTC, named decision_YYYY_MM: the name is what the service
-- reads to know a partition's month (audit.DecisionPartitions). Made here for every month that has
-- rows and for this month and the next three; the service makes the months ahead from then on.
-- Months are counted in UTC on timestamps without a zone: adding a month to a timestamptz follows the
-- session's time zone and would move the bound by an hour across a daylight-saving change.
DO $$
DECLARE month timestamp;
BEGIN
    FOR month IN
        SELECT DISTINCT date_trunc('month', evaluated_at AT TIME ZONE 'UTC') FROM decision
        UNION
        SELECT date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => n) FROM generate_series(0, 3) AS n
    LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF decision_by_month FOR VALUES FROM (%L) TO (%L)',
                'decision_' || to_char(month, 'YYYY_MM'), to_char(month, 'YYYY-MM-DD "00:00:00+00"'),
                to_char(month + interval '1 month', 'YYYY-MM-DD "00:00:00+00"'));
    END LOOP;
END $$;

-- A decision whose month has no partition (the service could not make it in time, a clock far
-- off) lands here rather than being refused: it is answered, stored, found and deleted by
-- retention like any other. The service moves such rows into their month's partition when it
-- makes it.
CREATE TABLE decision_default PARTITION OF decision_by_month DEFAULT;

INSERT INTO decision_by_month (decision_id, evaluated_at, ruleset_version, outcome, urgency, request_facts, advice,
                               fired_rules, missing_facts, client_subject, client_issuer, latency_micros)
SELECT decision_id, evaluated_at, ruleset_version, outcome, urgency, request_facts, advice,
       fired_rules, missing_facts, client_subject, client_issuer, latency_micros
FROM decision;

DROP TABLE decision;
ALTER TABLE decision_by_month RENAME TO decision;

-- Made after the copy (one sort per partition, not one insert per row into each index).
ALTER TABLE decision ADD CONSTRAINT decision_pkey PRIMARY KEY (decision_id, evaluated_at);
CREATE INDEX decision_by_time ON decision (evaluated_at, decision_id);
CREATE INDEX decision_by_outcome_time ON decision (outcome, evaluated_at, decision_id);

-- The foreign keys of V3 and V4, as triggers. Inserting a key or a feedback item checks that its
-- decision exists and holds it (FOR KEY SHARE) until the insert commits, so retention cannot delete
-- it meanwhile; the error is the foreign-key error (SQLState 23503) the service already handles.
CREATE FUNCTION decision_must_exist() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM 1 FROM decision WHERE decision_id = NEW.decision_id FOR KEY SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'insert or update on table "%" violates foreign key: decision % does not exist',
            TG_TABLE_NAME, NEW.decision_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER decision_idempotency_decision_exists BEFORE INSERT OR UPDATE OF decision_id ON decision_idempotency
    FOR EACH ROW EXECUTE FUNCTION decision_must_exist();
CREATE TRIGGER card_feedback_decision_exists BEFORE INSERT OR UPDATE OF decision_id ON card_feedback
    FOR EACH ROW EXECUTE FUNCTION decision_must_exist();

-- ON DELETE CASCADE of V3 and V4: a deleted decision takes its key and its feedback (and, by
-- card_feedback_rule's own foreign key, the feedback's rules) with it. Not when the service moves
-- rows out of decision_default into a new partition: that is a delete and an insert of the same
-- decision, and it says so with the transaction-local setting triage.moving_decisions. Dropping a
-- partition fires no trigger: the service deletes the dependants first (DecisionPartitions).
CREATE FUNCTION decision_delete_dependants() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF current_setting('triage.moving_decisions', true) = 'on' THEN
        RETURN NULL;
    END IF;
    DELETE FROM decision_idempotency WHERE decision_id = OLD.decision_id;
    DELETE FROM card_feedback WHERE decision_id = OLD.decision_id;
    RETURN NULL;
END $$;

CREATE TRIGGER decision_dependants_go_with_it AFTER DELETE ON decision
    FOR EACH ROW EXECUTE FUNCTION decision_delete_dependants();
