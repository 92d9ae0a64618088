package org.massagetriage.feedback;

/**
 * A code in a code system, with an optional human-readable label: the CDS Hooks Coding, as an
 * override reason is offered on a card and sent back in feedback.
 */
public record Coding(String code, String system, String display) {
}
