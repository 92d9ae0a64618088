package org.massagetriage.rules;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The service writes the compiled cache only for rules that went live, and serves rules from it
 * only after every check: on its own copy of the fixture rules and an empty cache directory.
 */
@QuarkusTest
@TestProfile(CompiledCacheRegistryTests.Profile.class)
class CompiledCacheRegistryTests {

    public static class Profile implements QuarkusTestProfile {
        static final RulesDirectory DIR = RulesDirectory.copyOfFixture();
        static final Path CACHE = Path.of("target/test-data/compiled-cache-registry-" + System.nanoTime()).toAbsolutePath();

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(DIR.watchedQuickly());
            config.put("triage.rules.watch", "false");
            config.put("triage.rules.compiled-cache.directory", CACHE.toString());
            return config;
        }
    }

    private static final RulesDirectory DIR = Profile.DIR;

    @Inject
    RuleSetRegistry registry;

    @Test
    void shouldCacheOnlyRulesThatWentLiveAndServeThemFromTheCacheAfterEveryCheck() throws Exception {
        CompiledRulesCache probe = new CompiledRulesCache(Profile.CACHE);
        RuleSetSource original = RuleSetSource.read(DIR.root());
        // The first start with an empty directory compiles, goes live, then keeps what it compiled.
        assertFalse(registry.active().fromCompiledCache());
        await().atMost(Duration.ofSeconds(30)).until(() -> entries().equals(List.of(probe.fileFor(original))));

        // Compiles, but a scenario row now expects another outcome: rejected at the scenario gate.
        String rows = DIR.read("scenarios/self-care.csv");
        DIR.replace("scenarios/self-care.csv", "SC-01-baseline,24,DULL_ACHE,3,UNCHANGED,none,LOWER_BACK,none,SELF_CARE,",
                "SC-01-baseline,24,DULL_ACHE,3,UNCHANGED,none,LOWER_BACK,none,CONTACT_THERAPIST,");
        RuleSetSource rejected = RuleSetSource.read(DIR.root());
        ReloadAttempt refused = registry.requestReload(ReloadAttempt.Trigger.MANUAL).get(60, TimeUnit.SECONDS);
        assertEquals(ReloadAttempt.Result.REJECTED, refused.result());
        assertEquals(List.of(Diagnostic.Kind.SCENARIO), refused.diagnostics().stream().map(Diagnostic::kind).distinct().toList());

        // A good edit goes live and is kept; the cache is written on one thread in order, so a write
        // for the rejected candidate would have landed before this one.
        DIR.write("scenarios/self-care.csv", rows);
        String selfCare = DIR.read("self-care.drl");
        DIR.write("self-care.drl", selfCare + "\n// a clinician's note\n");
        RuleSetSource edited = RuleSetSource.read(DIR.root());
        ReloadAttempt accepted = registry.requestReload(ReloadAttempt.Trigger.MANUAL).get(60, TimeUnit.SECONDS);
        assertEquals(ReloadAttempt.Result.ACCEPTED, accepted.result(), accepted.diagnostics()::toString);
        assertFalse(registry.active().fromCompiledCache());
        List<Path> both = Stream.of(probe.fileFor(original), probe.fileFor(edited)).sorted().toList();
        await().atMost(Duration.ofSeconds(30)).until(() -> entries().equals(both));
        assertFalse(Files.exists(probe.fileFor(rejected)), "a rejected candidate was cached");

        // Back to the first files: built from the cache, and live only after every check passed.
        DIR.write("self-care.drl", selfCare);
        ReloadAttempt back = registry.requestReload(ReloadAttempt.Trigger.MANUAL).get(60, TimeUnit.SECONDS);
        assertEquals(ReloadAttempt.Result.ACCEPTED, back.result(), back.diagnostics()::toString);
        RuleSet active = registry.active();
        assertTrue(active.fromCompiledCache());
        assertEquals(original.version(), active.version());
        assertEquals(29, active.rules().size());
        for (Scenario s : active.scenarios()) {
            assertEquals(List.of(), s.mismatches(active.evaluate(s.presentation())), s.id());
        }
        assertEquals(both, entries(), "nothing new is written for rules read from the cache");
    }

    private static List<Path> entries() {
        if (!Files.isDirectory(Profile.CACHE)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(Profile.CACHE)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
