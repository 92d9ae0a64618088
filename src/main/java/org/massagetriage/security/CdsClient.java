package org.massagetriage.security;

/**
 * A CDS Hooks client whose token verified: the request's security identity has {@link #name()} as its
 * principal name and this record as the attribute {@link #ATTRIBUTE}.
 *
 * @param name    the configured name ({@code triage.cds.clients."<name>"}), the client of record
 * @param issuer  the token's {@code iss}, the configured issuer of that client
 * @param subject the token's {@code sub} (the specification: the client id, usually the issuer again)
 */
public record CdsClient(String name, String issuer, String subject) {

    /** The security identity attribute holding this record. */
    public static final String ATTRIBUTE = CdsClient.class.getName();
}
