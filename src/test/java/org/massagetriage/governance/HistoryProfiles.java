package org.massagetriage.governance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

import org.massagetriage.audit.PostgresStoreProfile;
import org.massagetriage.rules.RulesDirectory;

import io.quarkus.test.junit.QuarkusTestProfile;

/** A store and an editable copy of the frozen rules fixture, watched quickly, for the rule-set history. */
final class HistoryProfiles {

    private HistoryProfiles() {
    }

    /** {@code store} settings serving {@code rules} instead. */
    private static Map<String, String> withRules(Map<String, String> store, RulesDirectory rules) {
        Map<String, String> config = new HashMap<>(store);
        config.putAll(rules.watchedQuickly());
        return config;
    }

    /** The embedded default store, in a fresh file. */
    public static class H2 implements QuarkusTestProfile {
        static final RulesDirectory DIR = RulesDirectory.copyOfFixture();

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(DIR.watchedQuickly());
            try {
                String file = Files.createTempDirectory("triage-h2-history-").resolve("triage").toString();
                config.put("triage.store.jdbc-url", "jdbc:h2:file:" + file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return config;
        }
    }

    /** As {@link H2}, in another fresh store: the impact tests count exactly the decisions they make. */
    public static class H2Impact extends H2 {
        static final RulesDirectory DIR = RulesDirectory.copyOfFixture();

        @Override
        public Map<String, String> getConfigOverrides() {
            return withRules(super.getConfigOverrides(), DIR);
        }
    }

    /** As {@link Postgres}, a fresh schema for the impact tests. */
    public static class PostgresImpact extends Postgres {
        static final RulesDirectory DIR = RulesDirectory.copyOfFixture();

        @Override
        public Map<String, String> getConfigOverrides() {
            return withRules(super.getConfigOverrides(), DIR);
        }
    }

    /** The production store: PostgreSQL on 127.0.0.1:5432, a fresh schema. */
    public static class Postgres implements QuarkusTestProfile {
        static final RulesDirectory DIR = RulesDirectory.copyOfFixture();

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(new PostgresStoreProfile().getConfigOverrides());
            config.putAll(DIR.watchedQuickly());
            return config;
        }
    }
}
