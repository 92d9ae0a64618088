package org.massagetriage.api;

import java.util.List;

import org.massagetriage.rules.Diagnostic;

/** The verdict on a candidate rule set; nothing was activated. */
public record ValidationResponse(boolean valid, String version, int rules, int scenarios, List<Diagnostic> diagnostics) {
}
