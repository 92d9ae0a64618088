package org.massagetriage.api;

import java.time.Instant;
import java.util.List;

import org.massagetriage.rules.ReloadAttempt;
import org.massagetriage.rules.RuleDescription;

/** The active rule set as clinicians and operators see it, and the last reload attempt. */
public record RulesResponse(String version, Instant loadedAt, String directory, List<String> files,
                            List<RuleDescription> rules, ReloadAttempt lastReload) {
}
