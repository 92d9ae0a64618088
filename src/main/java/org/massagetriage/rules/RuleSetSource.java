package org.massagetriage.rules;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A snapshot of the files that make up a rule set: DRL files, vocabulary properties and scenario
 * tables, keyed by their path relative to the rules directory ({@code /}-separated). Taking the
 * snapshot first means compiling, checking and hashing all see the same bytes, even while a
 * clinician is still saving.
 *
 * @param displayRoot how the rules directory is named in diagnostics (as configured, e.g. {@code rules})
 */
public record RuleSetSource(String displayRoot, SortedMap<String, String> files, List<Diagnostic> readErrors) {

    public static final String VOCABULARY_FILE = "vocabulary.en.properties";

    public RuleSetSource {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
        readErrors = List.copyOf(readErrors);
    }

    public static RuleSetSource of(String displayRoot, Map<String, String> files) {
        return new RuleSetSource(displayRoot, new TreeMap<>(files), List.of());
    }

    /** Reads every rule-set file below {@code dir}; files that are not UTF-8 become diagnostics, not exceptions. */
    public static RuleSetSource read(Path dir) throws IOException {
        String displayRoot = dir.toString();
        SortedMap<String, String> files = new TreeMap<>();
        List<Diagnostic> errors = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            errors.add(Diagnostic.of(Diagnostic.Kind.STRUCTURE, displayRoot, null,
                    "the rules directory does not exist or is not a directory"));
            return new RuleSetSource(displayRoot, files, errors);
        }
        for (Path p : ruleSetFiles(dir)) {
            String rel = dir.relativize(p).toString().replace('\\', '/');
            try {
                files.put(rel, decodeUtf8(Files.readAllBytes(p)));
            } catch (CharacterCodingException e) {
                errors.add(Diagnostic.of(Diagnostic.Kind.COMPILE, displayRoot + "/" + rel, null,
                        "the file is not valid UTF-8; save it as UTF-8"));
            }
        }
        return new RuleSetSource(displayRoot, files, errors);
    }

    /**
     * The rule-set files below {@code dir}, sorted. Symbolic links are followed and folders whose
     * name starts with {@code .} are skipped, so that a Kubernetes ConfigMap volume reads as the
     * plain directory it was made from: the kubelet keeps the real files in a hidden
     * {@code ..<timestamp>/} folder, points {@code ..data} at it and shows each entry
     * ({@code advice.drl}, {@code scenarios}) as a link through {@code ..data}. Without both rules
     * every file was read twice (duplicate rule names: the rule set was rejected), the scenario
     * tables only under the timestamped folder, and the version named that folder, so two pods with
     * the same rules reported different versions. A link that loops back is skipped, not followed
     * for ever; a file gone between listing and reading it is no longer part of the directory.
     */
    static List<Path> ruleSetFiles(Path dir) throws IOException {
        List<Path> found = new ArrayList<>();
        // A link is followed only to somewhere inside the directory (the kubelet's ..data is): one that
        // leaves it would make files elsewhere part of the rules, and saves through the API write there.
        // A file reached twice (a folder and a link to it) counts once, under the name sorted first.
        Path root = dir.toRealPath();
        Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                if (d.equals(dir)) {
                    return FileVisitResult.CONTINUE;
                }
                return d.getFileName().toString().startsWith(".") || !inside(d, root)
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() && isRuleSetFile(f) && inside(f, root)) {
                    found.add(f);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                if (e instanceof FileSystemLoopException || e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // a link loop, or a file gone since it was listed (a save's temporary file)
                }
                throw e;
            }
        });
        // Of two names for one file, the one without a link is kept (it can be edited through the API), else
        // the one sorted first.
        Collections.sort(found);
        java.util.Map<Path, Path> byReal = new java.util.LinkedHashMap<>();
        for (Path f : found) {
            Path real = realOrNull(f);
            if (real == null) {
                continue; // gone since it was listed
            }
            Path kept = byReal.get(real);
            if (kept == null || (!isDirect(kept, dir, real) && isDirect(f, dir, real))) {
                byReal.put(real, f);
            }
        }
        List<Path> once = new ArrayList<>(byReal.values());
        Collections.sort(once);
        return once;
    }

    /** Whether the path, links resolved, is below the root; a path gone meanwhile is not. */
    private static boolean inside(Path p, Path root) {
        Path real = realOrNull(p);
        return real != null && real.startsWith(root);
    }

    private static Path realOrNull(Path p) {
        try {
            return p.toRealPath();
        } catch (NoSuchFileException gone) {
            return null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Reached without a link: the name, resolved from the real root, is the file itself. */
    private static boolean isDirect(Path f, Path dir, Path real) {
        Path root = realOrNull(dir);
        return root != null && root.resolve(dir.relativize(f)).normalize().equals(real);
    }

    static boolean isRuleSetFile(Path p) {
        String name = p.getFileName().toString();
        if (name.startsWith(".")) {
            return false; // editors' swap and backup files must not count as rules
        }
        return name.endsWith(".drl") || name.endsWith(".properties") || name.endsWith(".csv");
    }

    private static String decodeUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }

    /** The path a clinician recognises, e.g. {@code rules/self-care.drl}. */
    public String displayPath(String relativePath) {
        return displayRoot + "/" + relativePath;
    }

    public List<String> drlFiles() {
        return files.keySet().stream().filter(f -> f.endsWith(".drl")).toList();
    }

    public List<String> scenarioFiles() {
        return files.keySet().stream().filter(f -> f.startsWith("scenarios/") && f.endsWith(".csv")).toList();
    }

    /** Content hash over every file's path and bytes: the rule set's version in every answer. */
    public String version() {
        return "sha256:" + contentDigest().substring(0, 16);
    }

    /**
     * The whole SHA-256 the version is cut from: the version is short to read, this is what a cache
     * of compiled rules is keyed by, where 64 bits would be a thin guard against a collision.
     */
    public String contentDigest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, String> e : files.entrySet()) {
                sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(e.getValue().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            // The service's engine rules are compiled into every rule set: the same files under
            // another engine are another rule set.
            sha.update(EngineRules.CONTENT.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /** 1-based line of the first line containing {@code needle} in a file, or null. */
    public Integer lineOf(String relativePath, String needle) {
        String content = files.get(relativePath);
        return content == null ? null : lineIn(content, needle);
    }

    /** 1-based line of the first line of {@code content} containing {@code needle}, or null. */
    static Integer lineIn(String content, String needle) {
        int idx = content.indexOf(needle);
        if (idx < 0) {
            return null;
        }
        int line = 1;
        for (int i = 0; i < idx; i++) {
            if (content.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
