package org.massagetriage.security;

import java.util.List;

/**
 * The roles a token's groups claim may carry. The names are part of the API contract: identity
 * providers are configured to issue exactly these.
 */
public final class Roles {

    /** A booking system: may ask for triage decisions and read the vocabulary. */
    public static final String TRIAGE_CLIENT = "triage-client";
    /** May list, reload and validate the clinical rules over the API. */
    public static final String RULES_ADMIN = "rules-admin";
    /** May read recorded decisions (health information). */
    public static final String AUDITOR = "auditor";
    /**
     * A CDS Hooks client (an EHR) verified by {@link CdsClientVerifier}: may call the CDS service and
     * its feedback, nothing of the v1 API. Never in a bearer token's groups claim: the service gives
     * this role itself, to a token signed by a configured CDS client's key.
     */
    public static final String CDS_CLIENT = "cds-client";

    /**
     * The roles of the v1 API's bearer tokens (local mode writes a token for each). Without
     * {@link #CDS_CLIENT}: a bearer token is no credential on the CDS paths, so a local token with
     * that role would open nothing.
     */
    public static final List<String> ALL = List.of(TRIAGE_CLIENT, RULES_ADMIN, AUDITOR);

    private Roles() {
    }
}
