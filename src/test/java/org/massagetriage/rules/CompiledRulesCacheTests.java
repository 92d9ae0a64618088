package org.massagetriage.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.massagetriage.bench.Presentations;
import org.massagetriage.facts.Presentation;

/**
 * Rules built from the compiled cache must be the rules a compile makes: the same answer to every
 * scenario row and to a broad mix of check-ins, and every gate still applied. Anything short of an
 * exact entry for these files under this engine is a miss, and the rules are compiled.
 */
class CompiledRulesCacheTests {

    /** The live rules compiled once, without the cache, and the classes a cache entry holds. */
    private static RuleSetSource source;
    private static RuleSet compiled;

    @TempDir
    Path dir;

    @BeforeAll
    static void compileOnce() {
        source = DefaultRules.source();
        RuleSetLoader.LoadResult result = RuleSetLoader.load(source, CompiledRulesCache.OFF);
        assertEquals(List.of(), result.diagnostics());
        compiled = result.ruleSet();
        assertFalse(compiled.fromCompiledCache());
    }

    @AfterAll
    static void closeRules() {
        compiled.close();
    }

    private CompiledRulesCache cacheWithEntry() {
        CompiledRulesCache cache = new CompiledRulesCache(dir);
        cache.write(source, compiled.compiledClasses());
        assertTrue(Files.isRegularFile(cache.fileFor(source)));
        return cache;
    }

    @Test
    void shouldEvaluateExactlyAsTheCompiledRulesOnEveryScenarioRowAndTheMix() {
        CompiledRulesCache cache = cacheWithEntry();
        RuleSetLoader.LoadResult result = RuleSetLoader.load(source, cache);
        assertEquals(List.of(), result.diagnostics());
        try (RuleSet cached = result.ruleSet()) {
            assertTrue(cached.fromCompiledCache());
            assertEquals(compiled.version(), cached.version());
            assertEquals(compiled.rules(), cached.rules()); // ids, sources, citations, files and lines
            assertEquals(compiled.compiledClasses().keySet(), cached.compiledClasses().keySet());

            List<Presentation> cases = new ArrayList<>();
            compiled.scenarios().forEach(s -> cases.add(s.presentation()));
            assertEquals(compiled.scenarios().size(), cached.scenarios().size());
            cases.addAll(Presentations.mix(42, 2000));
            int defects = 0;
            for (Presentation p : cases) {
                Object expected = answer(compiled, p);
                assertEquals(expected, answer(cached, p), () -> "for " + p);
                defects += expected instanceof String ? 1 : 0;
            }
            assertEquals(0, defects, "the default rules fail no case");
        }
    }

    /** The whole evaluation (outcome, advice in order, reasons, missing facts, fired rules), or the defect. */
    private static Object answer(RuleSet rules, Presentation p) {
        try {
            return rules.evaluate(p);
        } catch (RuleSetDefectException e) {
            return "defect: " + e.getMessage();
        }
    }

    @Test
    void shouldMarkTheEntryAsRecentWhenItIsRead() throws IOException {
        CompiledRulesCache cache = cacheWithEntry();
        Path file = cache.fileFor(source);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(0));
        assertNotNull(cache.read(source));
        assertTrue(Files.getLastModifiedTime(file).toMillis() > 0);
    }

    @Test
    void shouldCompileEditedRulesAndLeaveTheEntryOfTheOthers() {
        CompiledRulesCache cache = cacheWithEntry();
        try (RulesDirectory copy = RulesDirectory.copyOfDefaults()) {
            copy.write("self-care.drl", copy.read("self-care.drl") + "\n// a clinician's note\n");
            RuleSetSource edited = RuleSetSource.read(copy.root());
            assertNotEquals(source.version(), edited.version());
            assertNull(cache.read(edited));
            RuleSetLoader.LoadResult result = RuleSetLoader.load(edited, cache);
            assertEquals(List.of(), result.diagnostics());
            assertFalse(result.ruleSet().fromCompiledCache());
            result.ruleSet().close();
            assertEquals(List.of(cache.fileFor(source)), entries(), "loading writes nothing");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void shouldMissUnderAnotherEngineOrServiceRelease() {
        cacheWithEntry();
        CompiledRulesCache upgraded = new CompiledRulesCache(dir, CompiledRulesCache.currentEngineKey() + "-next");
        assertNotEquals(new CompiledRulesCache(dir).fileFor(source), upgraded.fileFor(source));
        assertNull(upgraded.read(source));
        RuleSetLoader.LoadResult result = RuleSetLoader.load(source, upgraded);
        assertFalse(result.ruleSet().fromCompiledCache());
        result.ruleSet().close();
    }

    @Test
    void shouldKeyByTheDroolsAndJavaVersionsAndTheFactClassesBytecode() {
        String key = CompiledRulesCache.currentEngineKey();
        assertTrue(key.matches("format=1;drools=10\\.2\\.0;java=" + Runtime.version().feature() + ";facts=[0-9a-f]{64}"), key);
        assertEquals(key, CompiledRulesCache.currentEngineKey());
        assertEquals("rules=" + source.contentDigest() + ";" + key, new CompiledRulesCache(dir).keyOf(source));
        assertTrue(source.contentDigest().matches("[0-9a-f]{64}"));
        assertEquals("sha256:" + source.contentDigest().substring(0, 16), source.version());
    }

    /** A new fact type the rules may see must change the key: the list is the whole package. */
    @Test
    void shouldListEveryTypeOfTheFactsPackage() throws IOException {
        List<String> sources;
        try (Stream<Path> files = Files.list(Path.of("src/main/java/org/massagetriage/facts"))) {
            sources = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".java"))
                    .map(n -> "org.massagetriage.facts." + n.substring(0, n.length() - ".java".length())).sorted().toList();
        }
        assertEquals(sources, CompiledRulesCache.FACT_CLASSES.stream().map(Class::getName).sorted().toList());
    }

    @Test
    void shouldKeepTheNewestTwoEntries() throws Exception {
        CompiledRulesCache cache = new CompiledRulesCache(dir);
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            RuleSetSource s = RuleSetSource.of("rules", Map.of("a.drl", "// version " + i));
            cache.write(s, Map.of("triage/Rule_A" + i + ".class", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) i}));
            written.add(cache.fileFor(s));
            Files.setLastModifiedTime(cache.fileFor(s), java.nio.file.attribute.FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        assertEquals(written.subList(2, 4).stream().sorted().toList(), entries());
        SortedMap<String, byte[]> back = cache.read(RuleSetSource.of("rules", Map.of("a.drl", "// version 3")));
        assertEquals(List.of("triage/Rule_A3.class"), List.copyOf(back.keySet()));
        assertTrue(Arrays.equals(new byte[] {(byte) 0xCA, (byte) 0xFE, 3}, back.get("triage/Rule_A3.class")));
    }

    @Test
    void shouldRoundTripEveryClassOfTheDefaultRules() {
        CompiledRulesCache cache = cacheWithEntry();
        SortedMap<String, byte[]> back = cache.read(source);
        assertEquals(compiled.compiledClasses().keySet(), back.keySet());
        compiled.compiledClasses().forEach((name, code) -> assertTrue(Arrays.equals(code, back.get(name)), name));
        // Consequences and their invokers of every rule; "RF-01" is escaped in class names as RF$u45$01.
        assertEquals(2 * compiled.rules().size(), back.size());
        assertTrue(back.keySet().stream().anyMatch(n -> n.contains("$u45$")), back.keySet()::toString);
    }

    @Test
    void shouldWarnNotFailWhenTheDirectoryCannotBeWritten() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        CompiledRulesCache cache = new CompiledRulesCache(notADirectory.resolve("cache"));
        try (LogCapture log = LogCapture.start()) {
            cache.write(source, compiled.compiledClasses());
            assertWarned(log, "could not be cached in", notADirectory.resolve("cache").toString());
        }
        assertNull(cache.read(source));
    }

    @Test
    void shouldNeitherReadNorWriteWhenOff() {
        CompiledRulesCache.OFF.write(source, compiled.compiledClasses());
        assertNull(CompiledRulesCache.OFF.read(source));
        assertFalse(CompiledRulesCache.OFF.enabled());
    }

    /** A warning holding every fragment (the logger keeps a message's format and its parameters apart). */
    static void assertWarned(LogCapture log, String... fragments) {
        assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("WARN") && Arrays.stream(fragments).allMatch(l::contains)),
                () -> "no warning with " + List.of(fragments) + " in " + log.lines());
    }

    private List<Path> entries() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A file that is not exactly an entry this service wrote for these rules is never used for
     * anything: it is logged with its path, deleted, and the rules are compiled (and accepted) as if
     * there were no cache.
     */
    @Nested
    class UnusableFiles {

        private void assertIgnoredAndCompiled(CompiledRulesCache cache, String why) {
            Path file = cache.fileFor(source);
            try (LogCapture log = LogCapture.start()) {
                RuleSetLoader.LoadResult result = RuleSetLoader.load(source, cache);
                assertEquals(List.of(), result.diagnostics());
                assertFalse(result.ruleSet().fromCompiledCache());
                result.ruleSet().close();
                assertWarned(log, "Ignoring the compiled-rules cache file", file.toString(), why);
            }
            assertFalse(Files.exists(file), "the unusable file is deleted");
        }

        @Test
        void shouldIgnoreAFileWithAFlippedByte() throws IOException {
            CompiledRulesCache cache = cacheWithEntry();
            Path file = cache.fileFor(source);
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length / 2] ^= 0x01;
            Files.write(file, bytes);
            assertIgnoredAndCompiled(cache, "its digest does not match its content (truncated or damaged)");
        }

        @Test
        void shouldIgnoreATruncatedFile() throws IOException {
            CompiledRulesCache cache = cacheWithEntry();
            Path file = cache.fileFor(source);
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(bytes, bytes.length / 3));
            assertIgnoredAndCompiled(cache, "its digest does not match its content (truncated or damaged)");
        }

        @Test
        void shouldIgnoreAnEmptyFile() throws IOException {
            CompiledRulesCache cache = cacheWithEntry();
            Files.write(cache.fileFor(source), new byte[0]);
            assertIgnoredAndCompiled(cache, "it is truncated");
        }

        /** Well formed and with a valid digest, but written for other rules: renamed, copied, or a collision. */
        @Test
        void shouldIgnoreAnEntryOfOtherRulesUnderThisName() throws IOException {
            CompiledRulesCache cache = new CompiledRulesCache(dir);
            Files.createDirectories(dir);
            Files.write(cache.fileFor(source), CompiledRulesCache.encode("rules=" + "0".repeat(64) + ";"
                    + CompiledRulesCache.currentEngineKey(), compiled.compiledClasses()));
            assertIgnoredAndCompiled(cache, "it was written for other rules or another engine or service release");
        }

        @Test
        void shouldIgnoreAnEntryOfAnotherEngineUnderThisName() throws IOException {
            CompiledRulesCache cache = new CompiledRulesCache(dir);
            Files.write(cache.fileFor(source), CompiledRulesCache.encode("rules=" + source.contentDigest()
                    + ";format=1;drools=9.44.0;java=17;facts=" + "0".repeat(64), compiled.compiledClasses()));
            assertIgnoredAndCompiled(cache, "it was written for other rules or another engine or service release");
        }

        @Test
        void shouldIgnoreAForeignFile() throws IOException {
            CompiledRulesCache cache = new CompiledRulesCache(dir);
            byte[] noise = new byte[4096];
            new java.util.Random(7).nextBytes(noise);
            Files.write(cache.fileFor(source), noise);
            assertIgnoredAndCompiled(cache, "its digest does not match its content (truncated or damaged)");
        }

        /** A digest that matches does not make any class name acceptable. */
        @Test
        void shouldIgnoreAnEntryNamingAClassOutsideTheRules() throws IOException {
            CompiledRulesCache cache = new CompiledRulesCache(dir);
            Map<String, byte[]> classes = new TreeMap<>(compiled.compiledClasses());
            classes.put("../escape.class", new byte[] {1});
            Files.write(cache.fileFor(source), CompiledRulesCache.encode(cache.keyOf(source), classes));
            assertIgnoredAndCompiled(cache, "it names a class file it cannot hold (../escape.class)");
        }

        /**
         * Right key, valid digest, but a class that is not a class: only a forged or miswritten entry
         * looks like this, and it must cost a compile, never the rules (a rejection at start-up
         * would stop the service).
         */
        @Test
        void shouldCompileWhenACachedClassDoesNotLoad() throws IOException {
            CompiledRulesCache cache = new CompiledRulesCache(dir);
            Map<String, byte[]> classes = new TreeMap<>(compiled.compiledClasses());
            String first = classes.keySet().iterator().next();
            classes.put(first, new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 0});
            assertCompiledInsteadOf(cache, classes, "Building rules", source.version(), "from the compiled cache",
                    cache.fileFor(source).toString(), "failed", "ClassFormatError");
        }

        /** Classes the build does not ask for mean the entry is not what a compile of these files made. */
        @Test
        void shouldCompileWhenTheEntryHoldsMoreThanTheRulesNeed() throws IOException {
            CompiledRulesCache cache = new CompiledRulesCache(dir);
            Map<String, byte[]> classes = new TreeMap<>(compiled.compiledClasses());
            classes.put("triage/Rule_Not_In_These_Files.class", new byte[] {(byte) 0xCA, (byte) 0xFE});
            assertCompiledInsteadOf(cache, classes, "does not fit rules", source.version(), cache.fileFor(source).toString());
        }

        /**
         * Writes {@code classes} as the rules' entry under the right key; the load must still accept the
         * rules, compiled rather than taken from the entry, and warn with every one of {@code warning}.
         */
        private void assertCompiledInsteadOf(CompiledRulesCache cache, Map<String, byte[]> classes, String... warning)
                throws IOException {
            Files.write(cache.fileFor(source), CompiledRulesCache.encode(cache.keyOf(source), classes));
            try (LogCapture log = LogCapture.start()) {
                RuleSetLoader.LoadResult result = RuleSetLoader.load(source, cache);
                assertEquals(List.of(), result.diagnostics());
                assertFalse(result.ruleSet().fromCompiledCache());
                result.ruleSet().close();
                assertWarned(log, warning);
            }
        }
    }
}
