package org.massagetriage.rules;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.drools.base.util.Drools;
import org.drools.compiler.kie.builder.impl.InternalKieModule;
import org.jboss.logging.Logger;
import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.BodyRegion;
import org.massagetriage.facts.Citation;
import org.massagetriage.facts.Decided;
import org.massagetriage.facts.Fact;
import org.massagetriage.facts.Finding;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.PainCharacter;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.RuleConclusion;
import org.massagetriage.facts.Symptom;
import org.massagetriage.facts.Threshold;
import org.massagetriage.facts.Trend;
import org.massagetriage.facts.Triage;
import org.massagetriage.facts.TriageDefect;

/**
 * The bytecode the Java compiler made for a rule set's consequences, kept on disk so that a restart
 * with unchanged rules skips the compiler (about two thirds of a cold compile's CPU). Only the
 * compiler's output comes from here: the DRL is parsed from the rule files as always, and every
 * check (rule language, metadata, scenario rows, coverage, safety) still runs on what is built.
 *
 * <p>An entry is keyed by the full content digest of the rule files (and the engine rules), the
 * Drools and Java versions, and the bytecode of the fact classes the rules compile against, so that
 * an upgraded service or engine never links old consequence code. Each file carries that key and a
 * SHA-256 of its bytes; a file that does not verify is logged, deleted and ignored. The digest
 * catches a torn or damaged file, not a forger: whoever can write this directory can already change
 * what the service runs, so it belongs to the service's user alone, like its jar.
 *
 * <p>Written only for a rule set that went live (never for a rejected or waiting candidate), by a
 * temporary file renamed into place; the newest two entries are kept (the rules serving and the
 * ones before them), older ones deleted.
 */
final class CompiledRulesCache {

    private static final Logger LOG = Logger.getLogger(CompiledRulesCache.class);

    /** Never reads, never writes. */
    static final CompiledRulesCache OFF = new CompiledRulesCache(null);

    static final int FORMAT = 1;
    private static final byte[] MAGIC = "massagetriage compiled rules\n".getBytes(StandardCharsets.US_ASCII);
    private static final String PREFIX = "compiled-";
    private static final String SUFFIX = ".rules-cache";
    private static final String TEMP_PREFIX = ".compiled-";
    /** Far above what a rule set compiles to (the default rules: 114 classes, about 260 KB). */
    static final int MAX_FILE_BYTES = 64 * 1024 * 1024;
    private static final int MAX_CLASSES = 100_000;
    private static final int KEEP = 2;
    /** A temporary file this old is left over from a write that died, not one in progress. */
    private static final Duration STALE_TEMP = Duration.ofMinutes(10);

    /**
     * Every type of {@code org.massagetriage.facts}: the consequences are compiled against them, so a
     * change to any of them must miss the cache. A test keeps this list equal to the package.
     */
    static final List<Class<?>> FACT_CLASSES = List.of(AdviceKey.class, BodyRegion.class, Citation.class, Decided.class,
            Fact.class, Finding.class, Outcome.class, PainCharacter.class, Presentation.class, RuleConclusion.class,
            Symptom.class, Threshold.class, Trend.class, Triage.class, TriageDefect.class);

    private final Path directory;
    private final String engineKey;

    /** @param directory where entries live; null for a cache that is off */
    CompiledRulesCache(Path directory) {
        this(directory, directory == null ? null : currentEngineKey());
    }

    /** With the engine key given, for tests that pose as another engine or service release. */
    CompiledRulesCache(Path directory, String engineKey) {
        this.directory = engineKey == null ? null : directory;
        this.engineKey = engineKey;
    }

    boolean enabled() {
        return directory != null;
    }

    Path directory() {
        return directory;
    }

    /**
     * What the compiled code depends on besides the rule files; null (and the cache off) when the
     * fact classes' bytecode cannot be read, because then a change to them could not be seen.
     */
    static String currentEngineKey() {
        try {
            MessageDigest sha = sha256();
            List<Class<?>> classes = new ArrayList<>();
            for (Class<?> c : FACT_CLASSES) {
                addWithNested(c, classes);
            }
            classes.sort(Comparator.comparing(Class::getName));
            for (Class<?> c : classes) {
                String resource = c.getName().replace('.', '/') + ".class";
                ClassLoader loader = c.getClassLoader() != null ? c.getClassLoader() : ClassLoader.getSystemClassLoader();
                try (InputStream in = loader.getResourceAsStream(resource)) {
                    if (in == null) {
                        LOG.warnf("The compiled-rules cache is off: the bytecode of %s cannot be read", c.getName());
                        return null;
                    }
                    sha.update(resource.getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                    sha.update(in.readAllBytes());
                }
            }
            return "format=" + FORMAT + ";drools=" + Drools.getFullVersion() + ";java=" + Runtime.version().feature()
                    + ";facts=" + HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            LOG.warnf("The compiled-rules cache is off: the fact classes cannot be read (%s)", e.getClass().getSimpleName());
            return null;
        }
    }

    private static void addWithNested(Class<?> c, List<Class<?>> into) {
        into.add(c);
        for (Class<?> nested : c.getDeclaredClasses()) {
            addWithNested(nested, into);
        }
    }

    /** The whole key of an entry: these rule files under this engine. */
    String keyOf(RuleSetSource source) {
        return "rules=" + source.contentDigest() + ";" + engineKey;
    }

    /** The file an entry for these rules lives in; named by the whole key, so another engine looks elsewhere. */
    Path fileFor(RuleSetSource source) {
        String key = keyOf(source);
        return directory.resolve(PREFIX + HexFormat.of().formatHex(sha256().digest(key.getBytes(StandardCharsets.UTF_8)))
                .substring(0, 32) + SUFFIX);
    }

    /**
     * The compiled classes of these rules (class file path to bytecode), or null when there is no
     * entry or it does not verify; such a file is deleted.
     */
    SortedMap<String, byte[]> read(RuleSetSource source) {
        if (!enabled()) {
            return null;
        }
        Path file = fileFor(source);
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                discard(file, "it is larger than any entry this service writes");
                return null;
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | SecurityException e) {
            LOG.warnf("The compiled-rules cache file %s cannot be read (%s); the rules are compiled", file,
                    e.getClass().getSimpleName());
            return null;
        }
        String problem;
        SortedMap<String, byte[]> classes = new TreeMap<>();
        try {
            problem = decode(bytes, keyOf(source), classes);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            problem = "it is truncated or malformed";
        }
        if (problem != null) {
            discard(file, problem);
            return null;
        }
        try {
            // Newest first is what pruning keeps: the rules serving again count as recent.
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (IOException | SecurityException e) {
            LOG.debugf("Could not mark %s as used (%s)", file, e.getClass().getSimpleName());
        }
        return Collections.unmodifiableSortedMap(classes);
    }

    /** Null when the bytes are an entry for this key, with its classes put into {@code into}; else why not. */
    private static String decode(byte[] bytes, String expectedKey, Map<String, byte[]> into) {
        if (bytes.length < MAGIC.length + 32) {
            return "it is truncated";
        }
        int payloadLength = bytes.length - 32;
        byte[] digest = sha256().digest(Arrays.copyOf(bytes, payloadLength));
        if (!MessageDigest.isEqual(digest, Arrays.copyOfRange(bytes, payloadLength, bytes.length))) {
            return "its digest does not match its content (truncated or damaged)";
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, payloadLength);
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            return "it is not a compiled-rules cache file";
        }
        int format = in.getInt();
        if (format != FORMAT) {
            return "it is of format " + format + ", not " + FORMAT;
        }
        String key = string(in);
        if (!key.equals(expectedKey)) {
            return "it was written for other rules or another engine or service release";
        }
        int count = in.getInt();
        if (count <= 0 || count > MAX_CLASSES) {
            return "it holds an implausible number of classes (" + count + ")";
        }
        for (int i = 0; i < count; i++) {
            String name = string(in);
            int length = in.getInt();
            if (length <= 0 || length > in.remaining()) {
                return "it is truncated or malformed";
            }
            byte[] code = new byte[length];
            in.get(code);
            if (!name.endsWith(".class") || name.startsWith("/") || name.contains("..") || into.put(name, code) != null) {
                return "it names a class file it cannot hold (" + name + ")";
            }
        }
        if (in.hasRemaining()) {
            return "it has bytes after its last class";
        }
        return null;
    }

    private static String string(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("bad length");
        }
        byte[] b = new byte[length];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The bytes of an entry: magic, format, key, classes, then SHA-256 of all of it. */
    static byte[] encode(String key, Map<String, byte[]> classes) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(buffer);
            out.write(MAGIC);
            out.writeInt(FORMAT);
            writeString(out, key);
            out.writeInt(classes.size());
            for (Map.Entry<String, byte[]> e : new TreeMap<>(classes).entrySet()) {
                writeString(out, e.getKey());
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
            out.flush();
            byte[] payload = buffer.toByteArray();
            out.write(sha256().digest(payload));
            out.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /**
     * Stores the compiled classes of a rule set that went live, then drops all but the newest
     * entries. Never throws: a cache that cannot be written costs the next start its compile time.
     */
    void write(RuleSetSource source, Map<String, byte[]> classes) {
        if (!enabled() || classes.isEmpty()) {
            return;
        }
        Path file = fileFor(source);
        Path temp = null;
        try {
            Files.createDirectories(directory);
            temp = Files.createTempFile(directory, TEMP_PREFIX, ".tmp");
            Files.write(temp, encode(keyOf(source), classes));
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
            LOG.debugf("Compiled rules %s cached in %s", source.version(), file);
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            LOG.warnf("The compiled rules %s could not be cached in %s (%s: %s); the next start compiles them",
                    source.version(), directory, e.getClass().getSimpleName(), e.getMessage());
            return;
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the stale-temp sweep below removes it on a later write
                }
            }
        }
        prune(file);
    }

    /** Keeps the newest entries (the one just written among them) and removes leftovers of failed writes. */
    private void prune(Path justWritten) {
        List<Path> entries = new ArrayList<>();
        Map<Path, FileTime> times = new HashMap<>();
        Instant staleBefore = Instant.now().minus(STALE_TEMP);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                try {
                    FileTime time = Files.getLastModifiedTime(f);
                    if (name.startsWith(PREFIX) && name.endsWith(SUFFIX)) {
                        entries.add(f);
                        times.put(f, time);
                    } else if (name.startsWith(TEMP_PREFIX) && name.endsWith(".tmp") && time.toInstant().isBefore(staleBefore)) {
                        Files.deleteIfExists(f);
                    }
                } catch (NoSuchFileException gone) {
                    // removed meanwhile (another replica sharing the directory): nothing to do
                }
            }
            entries.sort(Comparator.comparing((Path f) -> !f.equals(justWritten))
                    .thenComparing(times::get, Comparator.reverseOrder()));
            for (Path old : entries.subList(Math.min(KEEP, entries.size()), entries.size())) {
                Files.deleteIfExists(old);
                LOG.debugf("Dropped the compiled-rules cache entry %s", old);
            }
        } catch (IOException | SecurityException e) {
            LOG.warnf("Old compiled-rules cache entries in %s could not be removed (%s)", directory, e.getClass().getSimpleName());
        }
    }

    private static void discard(Path file, String why) {
        LOG.warnf("Ignoring the compiled-rules cache file %s: %s; the rules are compiled", file, why);
        try {
            Files.deleteIfExists(file);
        } catch (IOException | SecurityException e) {
            LOG.warnf("The unusable cache file %s could not be deleted (%s); it is overwritten once these rules go live",
                    file, e.getClass().getSimpleName());
        }
    }

    /** What {@link org.drools.compiler.builder.impl.KnowledgeBuilderConfigurationImpl} looks classes up in. */
    static InternalKieModule.CompilationCache compilationCache(Map<String, byte[]> classes) {
        return new CompilationUnits(classes);
    }

    /**
     * The Java dialect asks for each compilation unit by its class file name and takes every class
     * listed under it. Drools' own filler groups a nested class under the name before its first
     * '$', but rule class names escape characters as {@code $uNN$} ("RF-01" becomes
     * {@code RF$u45$01}), so it would file every such rule under a wrong unit and nothing would
     * be found. Here a class is filed under the longest '$'-prefix that is itself a class in the
     * set, else under its own name.
     */
    private static final class CompilationUnits extends InternalKieModule.CompilationCache {
        private static final long serialVersionUID = 1L;

        CompilationUnits(Map<String, byte[]> classes) {
            Map<String, List<InternalKieModule.CompilationCacheEntry>> units = new HashMap<>();
            for (Map.Entry<String, byte[]> e : classes.entrySet()) {
                String name = e.getKey();
                String base = name.substring(0, name.length() - ".class".length());
                String unit = name;
                for (int i = base.indexOf('$'); i > 0; i = base.indexOf('$', i + 1)) {
                    String outer = base.substring(0, i) + ".class";
                    if (classes.containsKey(outer)) {
                        unit = outer;
                    }
                }
                units.computeIfAbsent(unit, k -> new ArrayList<>())
                        .add(new InternalKieModule.CompilationCacheEntry(name, e.getValue()));
            }
            compilationCache.put("java", units);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
