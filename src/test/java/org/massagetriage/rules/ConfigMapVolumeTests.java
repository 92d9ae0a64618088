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
 * The rules directory as Kubernetes mounts a ConfigMap volume (docs/scaling.md): the kubelet writes
 * the files into a hidden {@code ..<timestamp>/} folder, points the link {@code ..data} at it and
 * shows every top-level entry as a link through {@code ..data} ({@code advice.drl ->
 * ..data/advice.drl}, {@code scenarios -> ..data/scenarios} when a key's path has a folder). An
 * update writes a new timestamped folder, renames a fresh link over {@code ..data} (one atomic
 * step), then adds and removes the top-level links and deletes the old folder. Before the reader
 * skipped hidden folders and followed links, the service read every rule twice from such a volume
 * and refused to start ("Duplicate rule name").
 */
class ConfigMapVolumeTests {

    @Test
    void shouldReadTheLiveRulesFromAConfigMapVolumeAsFromThePlainDirectory(@TempDir Path mount) throws IOException {
        RuleSetSource plain = DefaultRules.source();
        new ConfigMapVolume(mount).write(plain.files());

        RuleSetSource mounted = RuleSetSource.read(mount);

        assertEquals(plain.files(), mounted.files(), "the same files under the same names, none twice");
        assertEquals(plain.version(), mounted.version(), "the version names the content, not the kubelet's folder");
        RuleSetLoader.LoadResult result = RuleSetLoader.load(mounted);
        assertTrue(result.accepted(), () -> "rejected from a ConfigMap volume: " + result.diagnostics());
        assertEquals(plain.scenarioFiles(), mounted.scenarioFiles(), "the scenario tables are found through the scenarios link");
    }

    @Test
    void shouldSeeTheKubeletsSwapWhenPolling(@TempDir Path mount) throws IOException {
        ConfigMapVolume volume = new ConfigMapVolume(mount);
        volume.write(Map.of("a.drl", "rule a", "scenarios/a.csv", "id\nrow 1\n"));
        String before = RulesWatcher.fingerprint(mount);
        assertEquals(before, RulesWatcher.fingerprint(mount), "nothing changed, nothing to reload");

        // Same size, other content, one file of the nested folder: only the times tell.
        volume.write(Map.of("a.drl", "rule a", "scenarios/a.csv", "id\nrow 2\n"));

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
    void shouldReloadOnTheFileEventsOfTheSwap(@TempDir Path mount) throws Exception {
        ConfigMapVolume volume = new ConfigMapVolume(mount);
        volume.write(Map.of("a.drl", "rule a", "scenarios/a.csv", "id\n"));
        AtomicInteger reloads = new AtomicInteger();
        // Polling an hour apart: only the file events of the swap can trigger the reload.
        try (RulesWatcher watcher = RulesWatcher.start(mount, Duration.ofMillis(50), Duration.ofHours(1),
                reloads::incrementAndGet)) {
            volume.write(Map.of("a.drl", "rule a", "scenarios/a.csv", "id\nrow\n"));
            await("the swap of ..data is seen").atMost(Duration.ofSeconds(5)).until(() -> reloads.get() > 0);
        }
    }

    /**
     * Writes a payload the way the kubelet's atomic writer does, as far as a reader can tell:
     * timestamped folder, {@code ..data} renamed over, top-level links added and removed, old folder
     * deleted.
     */
    private static final class ConfigMapVolume {
        private static final Path DATA = Path.of("..data");
        private final Path mount;
        private int generation;

        ConfigMapVolume(Path mount) {
            this.mount = mount;
        }

        void write(Map<String, String> payload) throws IOException {
            Path previous = Files.isSymbolicLink(mount.resolve(DATA)) ? Files.readSymbolicLink(mount.resolve(DATA)) : null;
            Path folder = Path.of("..2026_11_27_12_00_0" + generation++ + ".407391231");
            for (Map.Entry<String, String> e : new TreeMap<>(payload).entrySet()) {
                Path file = mount.resolve(folder).resolve(e.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue());
            }
            Path tmp = Files.createSymbolicLink(mount.resolve("..data_tmp"), folder);
            Files.move(tmp, mount.resolve(DATA), StandardCopyOption.ATOMIC_MOVE);

            Set<String> visible = new HashSet<>();
            for (String key : payload.keySet()) {
                visible.add(Path.of(key).getName(0).toString());
            }
            for (String name : visible) {
                Path link = mount.resolve(name);
                if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, DATA.resolve(name));
                }
            }
            try (Stream<Path> entries = Files.list(mount)) {
                for (Path p : entries.toList()) {
                    String name = p.getFileName().toString();
                    if (!name.startsWith("..") && !visible.contains(name)) {
                        Files.delete(p);
                    }
                }
            }
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
