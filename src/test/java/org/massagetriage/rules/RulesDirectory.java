package org.massagetriage.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A temporary copy of a rules directory, for tests that edit rule files as a clinician would: of
 * the live {@code rules/}, or of the frozen fixture where a test pins lines (see {@link DefaultRules}).
 */
public final class RulesDirectory implements AutoCloseable {

    private final Path root;

    private RulesDirectory(Path root) {
        this.root = root;
    }

    /** A copy of the clinicians' live rules. */
    public static RulesDirectory copyOfDefaults() {
        return copyOf(DefaultRules.DIRECTORY);
    }

    /** A copy of the frozen fixture: lines and texts that tests pin do not move when a clinician edits rules/. */
    public static RulesDirectory copyOfFixture() {
        return copyOf(DefaultRules.FIXTURE);
    }

    private static RulesDirectory copyOf(Path source) {
        try {
            Path tmp = Files.createTempDirectory("rules-");
            try (Stream<Path> walk = Files.walk(source)) {
                for (Path p : walk.toList()) {
                    Path target = tmp.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
            return new RulesDirectory(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Another temporary copy of these files as they are now: to see an edit's version without the watcher seeing it. */
    public RulesDirectory copy() {
        return copyOf(root);
    }

    /** App settings that serve this directory and notice an edit within a few hundred milliseconds. */
    /**
     * Also a longer check deadline (25 s, below the 30 s idle timeout): these tests edit while clients
     * load both cores, and a busy CI machine must not turn a good edit into a rejection. The deadline
     * itself is CheckDeadlineTests' subject, with its own profile.
     */
    public Map<String, String> watchedQuickly() {
        return Map.of(
                "triage.rules.directory", root.toString(),
                "triage.rules.debounce", "100ms",
                "triage.rules.poll-interval", "250ms",
                "triage.rules.check-timeout", "25s");
    }

    public Path root() {
        return root;
    }

    public String read(String relative) {
        try {
            return Files.readString(root.resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(String relative, String content) {
        try {
            Files.writeString(root.resolve(relative), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces exactly one occurrence of {@code from}; fails loudly if the file no longer has it. */
    public void replace(String relative, String from, String to) {
        String content = read(relative);
        int at = content.indexOf(from);
        if (at < 0 || content.indexOf(from, at + 1) >= 0) {
            throw new IllegalStateException(relative + " must contain exactly one '" + from + "'");
        }
        write(relative, content.replace(from, to));
    }

    public void delete(String relative) {
        try {
            Files.delete(root.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The version the service gives the files as they are now. */
    public String version() {
        try {
            return RuleSetSource.read(root).version();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RuleSetLoader.LoadResult load() {
        try {
            return RuleSetLoader.load(RuleSetSource.read(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
