package org.massagetriage.rules;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher outlives files that appear and vanish while it walks the directory (an editor's swap
 * file, the temporary file of a save through the API): before, the walk's unchecked exception ended
 * the event thread and the poll, and later edits were never seen.
 */
class RulesWatcherTests {

    @Test
    void shouldKeepWatchingWhileTemporaryFilesComeAndGo(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("scenarios"));
        Files.writeString(dir.resolve("scenarios/a.csv"), "id\n");
        AtomicInteger reloads = new AtomicInteger();
        // Polling an hour apart: only the event thread can see the edit.
        try (RulesWatcher watcher = RulesWatcher.start(dir, Duration.ofMillis(50), Duration.ofHours(1),
                reloads::incrementAndGet)) {
            long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            int i = 0;
            while (System.nanoTime() < end) {
                // Many short-lived files, in both folders, as fast as the walk can meet them half-gone.
                for (Path folder : new Path[] {dir, dir.resolve("scenarios")}) {
                    Path temp = Files.createTempFile(folder, ".a.csv", ".saving");
                    Path sub = Files.createDirectories(folder.resolve(".tmp" + i++));
                    Files.delete(temp);
                    Files.delete(sub);
                }
            }
            int before = reloads.get();
            Files.writeString(dir.resolve("scenarios/a.csv"), "id\nrow\n");
            await("an edit after the churn is still seen").atMost(Duration.ofSeconds(5))
                    .until(() -> reloads.get() > before);
            assertTrue(reloads.get() > before);
        }
    }
}
