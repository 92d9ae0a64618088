package org.massagetriage.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed configuration of the service; every setting is listed in the README's configuration table. */
@ConfigMapping(prefix = "triage")
public interface TriageConfig {

    Rules rules();

    Store store();

    interface Rules {
        /** Directory holding the DRL files, vocabulary and scenario tables; relative to the working directory. */
        @WithDefault("rules")
        String directory();

        /** Watch the directory and reload on change; off means reload only on POST /api/v1/rules/reload. */
        @WithDefault("true")
        boolean watch();

        /** Quiet time after the last file change before a reload starts, so a multi-file save is read whole. */
        @WithDefault("300ms")
        Duration debounce();

        /**
         * How often the directory is also checked without file events: events do not arrive from some
         * bind-mounted volumes, so polling is the fallback that always works.
         */
        @WithDefault("1s")
        Duration pollInterval();

        /**
         * What to do when the rules are invalid at start-up: {@code exit} with one clear message
         * (default), or {@code wait}: keep running with readiness DOWN and triage answering 503,
         * watching the directory until a valid rule set arrives.
         */
        @WithDefault("exit")
        OnInvalidAtStart onInvalidAtStart();

        /**
         * Deadline for checking a candidate (compile, scenario rows, safety checks) on a reload or a
         * validate request; past it the candidate is rejected and the rules thread is free again.
         * Warm checks of the default rules take 1 to 2 s on the 2-core CI machine, up to 2.3 s while
         * four clients load both cores (clean CI run, 2026-11-27). Kept well below
         * {@code quarkus.http.idle-timeout} (30 s), so a caller waiting on a check gets its answer
         * before the connection is closed as idle.
         */
        @WithDefault("10s")
        Duration checkTimeout();

        /**
         * Deadline for the first check at start-up, which compiles cold (2 to 6 s measured on the
         * 2-core CI machine); past it the start-up fails like any invalid rule set.
         */
        @WithDefault("60s")
        Duration startupCheckTimeout();

        /**
         * Largest body POST /api/v1/rules/validate accepts: a draft of the whole rules directory as
         * JSON (every file's content as a string), also the longest single file in it. Larger gets
         * 413. Only this path gets it; every other request keeps {@code triage.http.max-body-size}.
         * The HTTP server's own limit, {@code quarkus.http.limits.max-body-size}, must be at least
         * this (application.properties sets it to this value).
         */
        @WithDefault("4M")
        MemorySize maxCandidateSize();

        /** What a candidate is evaluated against before it goes live (the impact report). */
        Impact impact();

        /** The Java compiler's output for rule sets that went live, so that a restart with unchanged rules skips it. */
        CompiledCache compiledCache();

        /**
         * Which accepted candidates wait for a second clinician's approval before they serve: none,
         * those whose impact shows any down-triage (recorded or generated), or all. Default: none in
         * local mode, down-triage otherwise.
         */
        Optional<Approval> approval();

        /**
         * How often a replica holding a candidate that waits for approval looks in the store for an
         * approval or rejection made on another replica (governance.SharedApprovals); only while a
         * candidate waits and a store is recording. The scheduler looks at its triggers once a second,
         * so less than 1s acts as 1s.
         */
        @WithDefault("1s")
        Duration followInterval();

        interface CompiledCache {
            /**
             * Off: every start compiles the rules (about 1.5 to 2 s of a cold start on the 2-core CI
             * machine). Every check runs on cached rules all the same; only the compiler is skipped.
             */
            @WithDefault("true")
            boolean enabled();

            /**
             * Where entries live (the rules serving and the ones before them); relative to the working
             * directory, beside the embedded store. Writable by the service's user alone: the entries
             * hold code the rules run. Unwritable costs each start its compile, with a warning.
             */
            @WithDefault("data/compiled-rules")
            String directory();
        }

        interface Impact {
            /** Recorded decisions of this window are evaluated under the candidate and the active rules. */
            @WithDefault("30D")
            Duration window();

            /** At most this many of the newest recorded decisions (distinct fact sets once each). */
            @WithDefault("50000")
            int maxCases();
        }
    }

    enum OnInvalidAtStart { EXIT, WAIT }

    enum Approval { NONE, DOWN_TRIAGE, ALWAYS }

    Http http();

    Security security();

    /**
     * Who may call: JWT bearer tokens verified with the standard {@code mp.jwt.verify.*} settings
     * (public key or JWKS location, issuer, audiences); these settings add only local mode.
     */
    interface Security {
        /** Where local mode keeps its key pair unless configured; also read before the config exists (LocalTokens). */
        String DEFAULT_LOCAL_KEY_DIRECTORY = "data/local-auth";

        /**
         * Local mode, NOT for production: a key pair is generated in {@link #localKeyDirectory()} at
         * first start, tokens for each role are written there, and only that key is trusted. Off
         * means the {@code mp.jwt.verify.*} settings are required, or the service refuses to start.
         */
        @WithDefault("false")
        boolean local();

        /** Where local mode keeps its key pair and writes its tokens; relative to the working directory. */
        @WithDefault(Security.DEFAULT_LOCAL_KEY_DIRECTORY)
        String localKeyDirectory();

        /** How long the tokens written at a local-mode start are valid. */
        @WithDefault("24h")
        Duration localTokenLifetime();

        /**
         * How many verified tokens are remembered, so that a client's repeated token is verified
         * once; 0 verifies every request.
         */
        @WithDefault("10000")
        int tokenCacheSize();

        /** Longest time a verified token is trusted without verifying it again (never past its expiry). */
        @WithDefault("60s")
        Duration tokenCacheMaxAge();
    }

    Cds cds();

    /**
     * Who may call the CDS Hooks 2.0 service ({@code POST /cds-services/<id>} and its feedback): CDS
     * clients (EHRs) that sign their own JWT per request, as the specification's "Trusting CDS Clients"
     * requires. Independent of {@link Security}: the v1 API's identity provider does not issue these
     * tokens, and these clients' keys open nothing but the CDS paths.
     */
    interface Cds {
        /**
         * The trusted CDS clients, by a name chosen here ({@code triage.cds.clients."<name>".issuer}):
         * the name is the principal of every request the client makes, so it is what decision records
         * and logs show; letters, digits, '.', '_' and '-' only, at most 64. None configured: every
         * CDS request is refused with 401.
         */
        Map<String, Client> clients();

        /**
         * The base URL clients call this service at, such as {@code https://triage.example.org}; a
         * token's {@code aud} must be this plus the service's path ({@code /cds-services/<id>}), the
         * URL the client posted to. Unset, the base is taken from each request as the server saw it
         * (scheme, Host header, port): only for tests and trials, because the Host header is chosen
         * by the caller, and behind a proxy that ends TLS the scheme seen is http, so no https
         * {@code aud} would match. Production MUST set it.
         */
        Optional<String> audienceBaseUrl();

        interface Client {
            /** The {@code iss} this client's tokens carry (the specification: its client id, also its {@code sub}). */
            String issuer();

            /**
             * Where this client publishes its public keys (JWK Set); read with short time limits,
             * cached, read again when a token names a key id not in it (key rotation). https, or
             * http to a loopback address only (tests): keys over plain http could be swapped on the
             * way. Exactly one of this and {@link #publicKey()}.
             */
            Optional<String> jwksUrl();

            /**
             * The client's public key as PEM ({@code -----BEGIN PUBLIC KEY-----}: EC P-384 or RSA of at
             * least 2048 bits), for a client that publishes no JWK Set; a key change then needs a
             * configuration change. Exactly one of this and {@link #jwksUrl()}.
             */
            Optional<String> publicKey();

            /**
             * The FHIR servers (base URLs) this client's calls may have the check-in fetched from when it
             * was not prefetched, such as {@code https://ehr.example.org/fhir}; a call's {@code fhirServer}
             * must be one of them or below one. None: nothing is fetched for this client (412). The service
             * sends the call's access token there, so an unlisted address, say an internal one, is never asked.
             */
            Optional<List<String>> fhirServers();
        }

        /**
         * How old the patient's latest check-in may be and still be decided on when an appointment
         * is booked. Older, the card says that no recent check-in is on file rather than deciding on how
         * the patient felt then: the rules' time limits (72 and 120 hours) are days apart, and severity,
         * trend and symptoms change within a day. A check-in within the window is decided on with its
         * hours since the massage counted on to the call (the card says so). Operational, not clinical.
         */
        @WithDefault("24h")
        Duration checkInMaxAge();

        /**
         * Longest wait for the CDS client's FHIR server when the check-in was not prefetched (connect and
         * answer together). CDS clients wait about a second or two for cards; past this the call answers
         * 412 (the spec's code for data the service could not get) instead of holding the booking screen.
         */
        @WithDefault("3s")
        Duration fhirTimeout();
    }

    Idempotency idempotency();

    /** Idempotent retries of POST /api/v1/triage with an {@code Idempotency-Key} header (docs/api.md). */
    interface Idempotency {
        /**
         * How long a key answers its first decision again; a retry later than this is a new request
         * (a new decision). Keys and their stored answers are released hourly after this.
         */
        @WithDefault("24h")
        Duration retention();
    }

    Bench bench();

    interface Bench {
        /**
         * Serve POST /api/v1/bench/baseline: parses a triage body exactly as the real endpoint does and
         * returns a fixed answer, as the framework's floor for the HTTP benchmark. Off (404) by default.
         */
        @WithDefault("false")
        boolean baselineEndpoint();
    }

    interface Http {
        /** Largest request body accepted; larger bodies get 413 problem+json. */
        @WithDefault("64K")
        MemorySize maxBodySize();
    }

    interface Store {
        /**
         * Record every decision before answering. Off only for benchmarks of the bare decision path:
         * with it off, answers are not traceable; never run a clinic like that.
         */
        @WithDefault("true")
        boolean recording();

        /** {@code jdbc:h2:...} (embedded, the default) or {@code jdbc:postgresql://...} (production). */
        @WithDefault("jdbc:h2:file:./data/triage")
        String jdbcUrl();

        Optional<String> username();

        Optional<String> password();

        /** Connections in the pool; one writer uses one at a time, the rest serve reads and health. */
        @WithDefault("8")
        int poolSize();

        /** How long an answer may wait for its record to be durable before the client gets 503. */
        @WithDefault("2s")
        Duration writeTimeout();

        /** Most decisions written in one transaction (group commit). */
        @WithDefault("256")
        int maxBatch();

        /** Decisions waiting to be written; beyond this, new requests get 503 at once. */
        @WithDefault("4096")
        int queueCapacity();

        /** Delete records older than this many days; 0 keeps them forever. */
        @WithDefault("0")
        int retentionDays();

        /**
         * PostgreSQL: the decision table's monthly partitions are made for this month and this many
         * after it, at start-up and hourly. A month without one still records its decisions (in the
         * default partition); ahead of time, its partition is made without moving any.
         */
        @WithDefault("3")
        int partitionMonthsAhead();

        /**
         * How often the retention and the making of partitions ahead run (first a minute after start),
         * read by AuditTrails' schedules; {@code off} stops both (tests that apply the retention themselves).
         */
        @WithDefault("1h")
        String maintenanceEvery();

        /** How often to retry the schema migration while the store is unreachable at start-up. */
        @WithDefault("5s")
        Duration retryInterval();
    }
}
