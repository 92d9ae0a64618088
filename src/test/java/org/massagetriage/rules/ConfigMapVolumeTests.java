package org.massagetriage.rules;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules directory as Kubernetes mounts ConfigMap volumes (docs/scaling.md): the kubelet writes
 * the files into a hidden {@code ..<timestamp>/} folder and shows every top-level entry as a link
 * through {@code ..data}, itself a link to that folder ({@code advice.drl -> ..data/advice.drl};
 * {@code scenarios -> ..data/scenarios} when a key's path has a folder). An update writes a new
 * timestamped folder, adds links for new entries, renames a fresh link over {@code ..data} (the one
 * atomic step), removes the links of entries gone and deletes the old folder. The deployment mounts
 * {@code scenarios/} as a second ConfigMap inside the first, in a folder the kubelet makes for it.
 * Before the reader skipped hidden folders and followed links, the service read every rule twice
 * from such a volume and refused to start ("Duplicate rule name").
 */
class ConfigMapVolumeTests {

    @Test
    void shouldReadTheLiveRulesFromTheTwoConfigMapsAsFromThePlainDirectory(@TempDir Path mount) throws IOException {
        RuleSetSource plain = DefaultRules.source();
        mountAsDeployed(mount, plain.files());

        RuleSetSource mounted = RuleSetSource.read(mount);

        assertEquals(plain.files(), mounted.files(), "the same files under the same names, none twice");
        assertEquals(plain.version(), mounted.version(), "the version names the content, not the kubelet's folders");
        assertEquals(plain.scenarioFiles(), mounted.scenarioFiles());
        RuleSetLoader.LoadResult result = RuleSetLoader.load(mounted);
        assertTrue(result.accepted(), () -> "rejected from ConfigMap volumes: " + result.diagnostics());
    }

    @Test
    void shouldReadAFolderOfOneConfigMapThroughItsLink(@TempDir Path mount) throws IOException {
        Map<String, String> files = Map.of("a.drl", "rule a", "scenarios/a.csv", "id\n", "scenarios/b.csv", "id\n");
        new ConfigMapVolume(mount).write(files);

        assertTrue(Files.isSymbolicLink(mount.resolve("scenarios")), "the kubelet links the folder through ..data");
        assertEquals(files, RuleSetSource.read(mount).files());
    }

    @Test
    void shouldSeeTheKubeletsSwapWhenPolling(@TempDir Path mount) throws IOException {
        ConfigMapVolume volume = new ConfigMapVolume(mount);
        volume.write(Map.of("a.drl", "rule a", "scenarios/a.csv", "id\nrow 1\n"));
        String before = RulesWatcher.fingerprint(mount);
        assertEquals(before, RulesWatcher.fingerprint(mount), "nothing changed, nothing to reload");

        // Same size, other content, in the nested folder: sizes and names alone would not tell.
        volume.write(Map.of("a.drl", "rule a", "scenarios/a.csv", "id\nrow 2\n"));

        assertNotEquals(before, RulesWatcher.fingerprint(mount));
        assertEquals(Map.of("a.drl", "rule a", "scenarios/a.csv", "id\nrow 2\n"), RuleSetSource.read(mount).files());
    }

    @Test
    void shouldSeeAnUpdateOfTheScenariosConfigMapAloneWhenPolling(@TempDir Path mount) throws IOException {
        Map<String, ConfigMapVolume> volumes = mountAsDeployed(mount, Map.of("a.drl", "rule a", "scenarios/a.csv", "id\nrow 1\n"));
        String before = RulesWatcher.fingerprint(mount);

        volumes.get("scenarios").write(Map.of("a.csv", "id\nrow 2\n"));

        assertNotEquals(before, RulesWatcher.fingerprint(mount));
        assertEquals(Map.of("a.drl", "rule a", "scenarios/a.csv", "id\nrow 2\n"), RuleSetSource.read(mount).files());
    }

    @Test
    void shouldFollowFilesAddedAndRemovedByAnUpdate(@TempDir Path mount) throws IOException {
        ConfigMapVolume volume = new ConfigMapVolume(mount);
        volume.write(Map.of("a.drl", "rule a", "old.drl", "rule old", "scenarios/a.csv", "id\n"));

        volume.write(Map.of("a.drl", "rule a", "new.drl", "rule new", "scenarios/a.csv", "id\n", "scenarios/b.csv", "id\n"));

        assertEquals(Map.of("a.drl", "rule a", "new.drl", "rule new", "scenarios/a.csv", "id\n", "scenarios/b.csv", "id\n"),
                RuleSetSource.read(mount).files());
    }

    @Test
    void shouldReloadOnTheFileEventsOfEitherSwap(@TempDir Path mount) throws Exception {
        Map<String, ConfigMapVolume> volumes = mountAsDeployed(mount, Map.of("a.drl", "rule a", "scenarios/a.csv", "id\n"));
        AtomicInteger reloads = new AtomicInteger();
        // Polling an hour apart: only the file events of the swaps can trigger the reloads.
        try (RulesWatcher watcher = RulesWatcher.start(mount, Duration.ofMillis(50), Duration.ofHours(1),
                reloads::incrementAndGet)) {
            volumes.get("rules").write(Map.of("a.drl", "rule a2"));
            await("the swap of ..data is seen").atMost(Duration.ofSeconds(5)).until(() -> reloads.get() > 0);
            Thread.sleep(200); // past the debounce of the first swap's last event
            int afterFirst = reloads.get();
            volumes.get("scenarios").write(Map.of("a.csv", "id\nrow\n"));
            await("the swap in the nested volume is seen").atMost(Duration.ofSeconds(5)).until(() -> reloads.get() > afterFirst);
        }
    }

    /**
     * The deployment's layout: the top-level files as one volume, {@code scenarios/} as a second one
     * mounted in a folder the kubelet creates inside the first before either is written.
     */
    /** A link that leaves the directory is not followed: files elsewhere never become rules (nor API saves' targets). */
    @Test
    void shouldNotFollowALinkOutOfTheDirectory(@TempDir Path root) throws IOException {
        Path rules = Files.createDirectory(root.resolve("rules"));
        Path outside = Files.createDirectory(root.resolve("outside"));
        Files.writeString(rules.resolve("a.drl"), "// a");
        Files.writeString(outside.resolve("x.drl"), "// outside");
        Files.createSymbolicLink(rules.resolve("shared"), Path.of("../outside"));
        Files.createSymbolicLink(rules.resolve("y.drl"), Path.of("../outside/x.drl"));
        assertEquals(List.of(rules.resolve("a.drl")), RuleSetSource.ruleSetFiles(rules));
    }

    /**
     * A folder and a link to it inside the directory: each file counts once, under its own name rather
     * than the link's (sorted first here), so that it can still be edited through the API.
     */
    @Test
    void shouldReadAFileReachedTwiceOnce(@TempDir Path rules) throws IOException {
        Path v2 = Files.createDirectory(rules.resolve("v2"));
        Files.writeString(v2.resolve("y.drl"), "// y");
        Files.createSymbolicLink(rules.resolve("current"), Path.of("v2"));
        assertEquals(List.of(rules.resolve("v2/y.drl")), RuleSetSource.ruleSetFiles(rules));
    }

    private static Map<String, ConfigMapVolume> mountAsDeployed(Path mount, Map<String, String> files) throws IOException {
        Map<String, String> top = new TreeMap<>();
        Map<String, String> scenarios = new TreeMap<>();
        files.forEach((name, content) -> {
            if (name.startsWith("scenarios/")) {
                scenarios.put(name.substring("scenarios/".length()), content);
            } else {
                top.put(name, content);
            }
        });
        Files.createDirectories(mount.resolve("scenarios"));
        ConfigMapVolume rules = new ConfigMapVolume(mount);
        rules.write(top);
        ConfigMapVolume nested = new ConfigMapVolume(mount.resolve("scenarios"));
        nested.write(scenarios);
        return Map.of("rules", rules, "scenarios", nested);
    }

    /**
     * Writes a payload in the steps of the kubelet's atomic writer ({@code pkg/volume/util/atomic_writer.go}):
     * new timestamped folder, links for new top-level entries, {@code ..data_tmp} renamed over
     * {@code ..data}, links of entries no longer in the payload removed, old folder deleted.
     */
    private static final class ConfigMapVolume {
        private static final Path DATA = Path.of("..data");
        private final Path mount;
        private Set<String> visible = Set.of();
        private int generation;

        ConfigMapVolume(Path mount) {
            this.mount = mount;
        }

        void write(Map<String, String> payload) throws IOException {
            Path previous = Files.isSymbolicLink(mount.resolve(DATA)) ? Files.readSymbolicLink(mount.resolve(DATA)) : null;
            Path folder = Path.of("..2026_11_27_12_00_0" + generation++ + ".407391231");
            Set<String> entries = new HashSet<>();
            for (Map.Entry<String, String> e : new TreeMap<>(payload).entrySet()) {
                Path file = mount.resolve(folder).resolve(e.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue());
                entries.add(Path.of(e.getKey()).getName(0).toString());
            }
            for (String name : entries) {
                Path link = mount.resolve(name);
                if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, DATA.resolve(name)); // dangles until the swap when new
                }
            }
            Path tmp = Files.createSymbolicLink(mount.resolve("..data_tmp"), folder);
            Files.move(tmp, mount.resolve(DATA), StandardCopyOption.ATOMIC_MOVE);
            for (String name : visible) {
                if (!entries.contains(name)) {
                    Files.delete(mount.resolve(name));
                }
            }
            visible = entries;
            if (previous != null) {
                deleteTree(mount.resolve(previous));
            }
        }

        private static void deleteTree(Path root) throws IOException {
            List<Path> all;
            try (Stream<Path> walk = Files.walk(root)) {
                all = walk.sorted(Comparator.reverseOrder()).toList();
            }
            for (Path p : all) {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
