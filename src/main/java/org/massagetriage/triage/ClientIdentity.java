package org.massagetriage.triage;

/**
 * Who asked for a decision, as their verified token says: kept with the decision record so that an
 * auditor can tell which booking system a patient's answer went to.
 *
 * @param subject the token's {@code sub}
 * @param issuer  the token's {@code iss}
 */
public record ClientIdentity(String subject, String issuer) {
}
