package org.massagetriage.rules;

import java.util.Map;
import java.util.Optional;

/**
 * The rules released last, from the rule-set history (implemented above the rules: it reads the
 * store). With an approval gate a restart must not serve files that were waiting for approval, or
 * were edited while the service was down: the last released rule set serves again and the files on
 * disk become a candidate like any edit.
 */
public interface ReleasedRules {

    /**
     * The files of the rule set activated last, on any instance (path relative to the rules
     * directory -> content); empty when nothing was ever released or nothing is recorded.
     *
     * @throws RuntimeException when the history cannot be read
     */
    Optional<Map<String, String>> lastActivated();
}
