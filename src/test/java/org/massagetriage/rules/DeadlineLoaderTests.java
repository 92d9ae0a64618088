package org.massagetriage.rules;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Checking a candidate cannot be interrupted (the compiler and a running evaluation ignore
 * interrupts), so it runs on a thread of its own that the caller abandons at the deadline.
 */
class DeadlineLoaderTests {

    private final DeadlineLoader loader = new DeadlineLoader(Thread.currentThread().getContextClassLoader());

    @Test
    void shouldRejectACandidatePastItsDeadlineAndCheckTheNextOneNormally() throws Exception {
        try (RulesDirectory dir = RulesDirectory.copyOfDefaults()) {
            RuleSetSource source = RuleSetSource.read(dir.root());
            long start = System.nanoTime();
            RuleSetLoader.LoadResult late = loader.load(source, Duration.ofMillis(1), "triage.rules.check-timeout");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertNull(late.ruleSet());
            assertEquals(List.of(Diagnostic.of(Diagnostic.Kind.STRUCTURE, dir.root().toString(), null,
                    "checking these rules (compiling, scenario rows and safety checks) took longer than 1 ms"
                            + " (triage.rules.check-timeout), so they are rejected; the default rules take"
                            + " about a second to check")), late.diagnostics());
            assertTrue(millis < 1_000, "the caller waited " + millis + " ms");
            assertEquals(1, loader.abandonedRunning());

            // The abandoned check runs to its end in the background and is discarded.
            await().atMost(Duration.ofSeconds(60)).until(() -> loader.abandonedRunning() == 0);

            RuleSetLoader.LoadResult next = loader.load(source, Duration.ofSeconds(60), "triage.rules.check-timeout");
            assertEquals(List.of(), next.diagnostics());
            next.ruleSet().close();
        }
    }

    /** Abandoned checks still hold a core and memory: past a few, new checks are refused until they end. */
    @Test
    void shouldRefuseNewChecksWhileAbandonedOnesStillRun() throws Exception {
        try (RulesDirectory dir = RulesDirectory.copyOfDefaults()) {
            RuleSetSource source = RuleSetSource.read(dir.root());
            for (int i = 0; i < DeadlineLoader.MAX_ABANDONED; i++) {
                loader.load(source, Duration.ofMillis(1), "triage.rules.check-timeout");
            }
            if (loader.abandonedRunning() == DeadlineLoader.MAX_ABANDONED) { // none finished in between
                RuleSetLoader.LoadResult refused = loader.load(source, Duration.ofSeconds(60), "triage.rules.check-timeout");
                assertEquals(List.of(Diagnostic.of(Diagnostic.Kind.STRUCTURE, dir.root().toString(), null,
                        "not checked: earlier checks that ran past their deadline are still running; try again in a minute")),
                        refused.diagnostics());
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> loader.abandonedRunning() == 0);
            RuleSetLoader.LoadResult next = loader.load(source, Duration.ofSeconds(60), "triage.rules.check-timeout");
            assertEquals(List.of(), next.diagnostics());
            next.ruleSet().close();
        }
    }
}
