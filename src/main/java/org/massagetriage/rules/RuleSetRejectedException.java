package org.massagetriage.rules;

import java.util.List;
import java.util.stream.Collectors;

/** A rule set could not be activated; the message lists every diagnostic, one per line. */
public class RuleSetRejectedException extends RuntimeException {

    private final transient List<Diagnostic> diagnostics;

    public RuleSetRejectedException(String what, List<Diagnostic> diagnostics) {
        super(what + ":\n" + diagnostics.stream().map(d -> "  " + d.describe()).collect(Collectors.joining("\n")));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
