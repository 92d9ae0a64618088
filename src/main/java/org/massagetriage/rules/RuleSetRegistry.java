package org.massagetriage.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.massagetriage.config.TriageConfig;

import io.quarkus.runtime.Startup;

/**
 * Holds the active rule set. Loaded at start-up (not lazily) so that an invalid rules directory
 * stops the service before it takes a request. Readers take the current rule set once per request
 * and keep it, so a request never mixes two rule sets.
 */
@Startup
@ApplicationScoped
public class RuleSetRegistry {

    private static final Logger LOG = Logger.getLogger(RuleSetRegistry.class);

    private final Path directory;
    private final AtomicReference<RuleSet> active = new AtomicReference<>();

    public RuleSetRegistry(TriageConfig config) {
        this.directory = Path.of(config.rules().directory());
        RuleSetLoader.LoadResult result = RuleSetLoader.load(readSource());
        if (!result.accepted()) {
            throw new RuleSetRejectedException("The rules in '" + directory + "' cannot be served", result.diagnostics());
        }
        active.set(result.ruleSet());
        LOG.infof("Rule set %s active: %d rules from %s, %d scenarios passed", result.ruleSet().version(),
                result.ruleSet().rules().size(), directory, result.ruleSet().scenarios().size());
    }

    private RuleSetSource readSource() {
        try {
            return RuleSetSource.read(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the rules directory " + directory, e);
        }
    }

    /** The rule set to decide with; never null once the service has started. */
    public RuleSet active() {
        return active.get();
    }

    @PreDestroy
    void shutdown() {
        RuleSet current = active.getAndSet(null);
        if (current != null) {
            current.close();
        }
    }
}
