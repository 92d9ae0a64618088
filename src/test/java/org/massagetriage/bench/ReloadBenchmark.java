package org.massagetriage.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.massagetriage.rules.RuleSet;
import org.massagetriage.rules.RuleSetLoader;
import org.massagetriage.rules.RuleSetSource;

/**
 * Reload cost of the default rules, as the registry pays it: read, compile, check, run every
 * scenario, swap, retire the old set. Prints figures for docs/performance.md; asserts only that
 * every load was accepted. Run: {@code ./mvnw test -Pbench -Dtest=ReloadBenchmark}.
 */
@Tag("benchmark")
class ReloadBenchmark {

    @Test
    void measureReloadTimeAndHeapOver200Reloads() throws IOException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long coldStart = System.nanoTime();
        RuleSet active = load();
        long coldMillis = (System.nanoTime() - coldStart) / 1_000_000;

        int reloads = 200;
        long[] millis = new long[reloads];
        long heapAfterWarmUp = 0;
        StringBuilder heapLine = new StringBuilder();
        for (int i = 0; i < reloads; i++) {
            long t = System.nanoTime();
            RuleSet next = load();
            active.retire();
            active = next;
            millis[i] = (System.nanoTime() - t) / 1_000_000;
            if ((i + 1) % 50 == 0 || i == 19) {
                long heap = usedHeapAfterGc(memory);
                if (i == 19) {
                    heapAfterWarmUp = heap;
                }
                heapLine.append(String.format(" after %d: %.1f MB;", i + 1, heap / 1e6));
            }
        }
        active.retire();
        long[] warm = Arrays.copyOfRange(millis, 20, reloads);
        Arrays.sort(warm);
        System.out.printf("reload cold: %d ms; warm (n=%d): median %d ms, p95 %d ms, max %d ms%n", coldMillis, warm.length,
                warm[warm.length / 2], warm[(int) (warm.length * 0.95)], warm[warm.length - 1]);
        System.out.printf("heap used after GC (warm-up at 20 reloads: %.1f MB):%s%n", heapAfterWarmUp / 1e6, heapLine);
    }

    private static RuleSet load() throws IOException {
        RuleSetLoader.LoadResult r = RuleSetLoader.load(RuleSetSource.read(Path.of("rules")));
        if (!r.accepted()) {
            throw new AssertionError(r.diagnostics().toString());
        }
        return r.ruleSet();
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
