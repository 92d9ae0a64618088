package org.massagetriage.rules;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import org.drools.base.definitions.InternalKnowledgePackage;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.compiler.builder.impl.KnowledgeBuilderConfigurationImpl;
import org.drools.core.rule.JavaDialectRuntimeData;
import org.drools.kiesession.rulebase.InternalKnowledgeBase;
import org.drools.kiesession.rulebase.KnowledgeBaseFactory;
import org.jboss.logging.Logger;
import org.kie.api.KieBase;
import org.kie.api.KieBaseConfiguration;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.conf.KieBaseMutabilityOption;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.io.Resource;
import org.kie.api.io.ResourceType;
import org.kie.api.runtime.KieContainer;
import org.kie.internal.builder.CompositeKnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderConfiguration;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.io.ResourceFactory;
import org.massagetriage.facts.RuleConclusion;

/**
 * Compiles a {@link RuleSetSource} with the classic Drools engine at run time and checks the
 * structure the service relies on: unique {@code @id}, a {@code @source} citing registered sources
 * ({@link SourceRegister}) on every rule, and only
 * outcomes, advice keys and fact names the API knows. It does not run scenarios; see
 * {@link RuleSetLoader}.
 */
public final class RuleSetCompiler {

    // Rule files declare "package triage;"; a matching folder keeps Drools from warning on every build.
    private static final String KFS_ROOT = "src/main/resources/triage/";
    /** Where the compiled rules' resources say they come from: the same file below the resources root. */
    private static final String RESOURCE_ROOT = KFS_ROOT.substring("src/main/resources/".length());
    /** Each build gets its own release id, so that builds never replace each other in the KIE repository. */
    private static final AtomicLong BUILDS = new AtomicLong();
    private static final Logger LOG = Logger.getLogger(RuleSetCompiler.class);

    private RuleSetCompiler() {
    }

    /** The compiled rule set, or null with at least one diagnostic. */
    public record Compilation(RuleSet ruleSet, List<Diagnostic> diagnostics) {
    }

    public static Compilation compile(RuleSetSource source) {
        return compile(source, CompiledRulesCache.OFF);
    }

    /** As {@link #compile(RuleSetSource)}, taking the consequences' bytecode from the cache when it holds these rules. */
    static Compilation compile(RuleSetSource source, CompiledRulesCache cache) {
        List<Diagnostic> diagnostics = new ArrayList<>(source.readErrors());
        if (source.drlFiles().isEmpty()) {
            diagnostics.add(Diagnostic.of(Diagnostic.Kind.STRUCTURE, source.displayRoot(), null,
                    "no rule files (.drl): an empty rule set is never activated"));
            return new Compilation(null, diagnostics);
        }
        Map<String, Vocabulary> vocabularies = Vocabulary.parseAll(source, diagnostics);
        Vocabulary vocabulary = vocabularies.get(Vocabulary.DEFAULT_LANGUAGE);
        Thresholds thresholds = Thresholds.parse(source, diagnostics);
        SourceRegister register = SourceRegister.parse(source, diagnostics);
        // Before the compiler sees anything: compiling DRL can itself run code (metadata values,
        // dynamic salience), so a file outside the rule language is never compiled.
        List<Diagnostic> language = new ArrayList<>(RuleLanguage.check(source, Thresholds.namesIn(source)));
        if (source.files().containsKey(EngineRules.KFS_RELATIVE_PATH)) {
            language.add(Diagnostic.of(Diagnostic.Kind.LANGUAGE, source.displayPath(EngineRules.KFS_RELATIVE_PATH), null,
                    "this file name is reserved for the service's own engine rules; rename the file"));
        }
        if (!language.isEmpty()) {
            diagnostics.addAll(language);
            return new Compilation(null, diagnostics);
        }

        Map<String, String> displayByKfsPath = new HashMap<>();
        for (String rel : source.drlFiles()) {
            // Messages name the path below the resources root, rules' resources the full one: map both.
            displayByKfsPath.put(KFS_ROOT + rel, rel);
            displayByKfsPath.put(RESOURCE_ROOT + rel, rel);
        }
        displayByKfsPath.put(KFS_ROOT + EngineRules.KFS_RELATIVE_PATH, EngineRules.KFS_RELATIVE_PATH);
        displayByKfsPath.put(RESOURCE_ROOT + EngineRules.KFS_RELATIVE_PATH, EngineRules.KFS_RELATIVE_PATH);

        Built built = null;
        SortedMap<String, byte[]> cached = cache.read(source);
        if (cached != null) {
            long start = System.nanoTime();
            boolean failed = false;
            try {
                built = buildWithCompiledClasses(source, cached);
            } catch (RuntimeException | LinkageError e) {
                // An entry that does not link (say a damaged class behind a valid digest) must cost a
                // compile, never the rules: the compile below decides whether they are good.
                LOG.warnf("Building rules %s from the compiled cache %s failed (%s); they are compiled", source.version(),
                        cache.fileFor(source), e.getClass().getName());
                failed = true;
            }
            if (built != null) {
                LOG.infof("Rules %s loaded from the compiled cache %s in %d ms (the Java compiler was skipped; every check still runs)",
                        source.version(), cache.fileFor(source), (System.nanoTime() - start) / 1_000_000);
            } else if (!failed) {
                LOG.warnf("The compiled-rules cache entry %s does not fit rules %s; they are compiled", cache.fileFor(source),
                        source.version());
            }
        }
        if (built == null) {
            KieServices ks = KieServices.Factory.get();
            ReleaseId releaseId = ks.newReleaseId("org.massagetriage", "rules", "1.0." + BUILDS.incrementAndGet());
            KieFileSystem kfs = ks.newKieFileSystem();
            kfs.generateAndWritePomXML(releaseId);
            for (String rel : source.drlFiles()) {
                kfs.write(KFS_ROOT + rel, source.files().get(rel));
            }
            kfs.write(KFS_ROOT + EngineRules.KFS_RELATIVE_PATH, EngineRules.CONTENT);
            KieBuilder builder = ks.newKieBuilder(kfs).buildAll();
            List<Message> errors = builder.getResults().getMessages(Message.Level.ERROR);
            if (!errors.isEmpty()) {
                ks.getRepository().removeKieModule(releaseId);
                diagnostics.addAll(DroolsMessages.diagnostics(source, errors, displayByKfsPath));
                return new Compilation(null, diagnostics);
            }
            KieContainer container = ks.newKieContainer(releaseId);
            // The repository would otherwise keep every build's module alive: a leak across reloads.
            ks.getRepository().removeKieModule(releaseId);
            KieBase kieBase;
            try {
                kieBase = container.newKieBase(immutableKieBase(null));
            } catch (RuntimeException e) {
                container.dispose();
                throw e;
            }
            built = new Built(container, kieBase, compiledClasses(kieBase), false);
        }
        KieBase kieBase = built.kieBase();

        Map<String, RuleConclusion> conclusions = new LinkedHashMap<>();
        List<RuleDescription> descriptions = new ArrayList<>();
        Map<String, String> idLocations = new HashMap<>();
        for (KiePackage pkg : kieBase.getKiePackages()) {
            for (Rule rule : pkg.getRules()) {
                String rel = fileOf(rule, displayByKfsPath);
                Integer line = rel == null ? null : lineOf(source, rel, "rule \"" + rule.getName() + "\"");
                String display = rel == null ? null : displayPath(source, rel);
                RuleConclusion c = RuleMetadata.check(rule, display, line, vocabulary, register, idLocations,
                        diagnostics);
                if (c != null) {
                    conclusions.put(c.ruleId(), c);
                    descriptions.add(new RuleDescription(c.ruleId(), c.ruleName(), c.source(), c.citations(), display, line,
                            c.outcome(), c.advice(), c.missingFacts()));
                }
            }
        }
        if (!diagnostics.isEmpty()) {
            built.dispose();
            return new Compilation(null, diagnostics);
        }
        descriptions.sort((a, b) -> a.id().compareTo(b.id()));
        List<Scenario> scenarios = ScenarioTables.parse(source, diagnostics);
        RuleSet ruleSet = new RuleSet(source.version(), Instant.now().truncatedTo(ChronoUnit.MILLIS), List.copyOf(source.files().keySet()),
                built.container(), kieBase, conclusions, descriptions, vocabularies, scenarios, thresholds.facts(),
                built.classes(), built.fromCache());
        return new Compilation(ruleSet, diagnostics);
    }

    /**
     * A built rule base: from the KIE builder (with its container, which owns the class loaders), or
     * from the compiled cache (no container; the rule base owns them).
     *
     * @param classes the consequences' bytecode, what the compiled cache keeps
     */
    private record Built(KieContainer container, KieBase kieBase, Map<String, byte[]> classes, boolean fromCache) {
        void dispose() {
            if (container != null) {
                container.dispose();
            }
        }
    }

    /**
     * Never changed after the build (a new rule set is a new KieBase): an immutable KieBase skips
     * the engine's guards for live changes, about 18% of an evaluation.
     */
    private static KieBaseConfiguration immutableKieBase(ClassLoader loader) {
        KieServices ks = KieServices.Factory.get();
        KieBaseConfiguration config = loader == null ? ks.newKieBaseConfiguration() : ks.newKieBaseConfiguration(null, loader);
        config.setOption(KieBaseMutabilityOption.DISABLED);
        return config;
    }

    /** Every class the Java dialect compiled for the rules, by class file path (shared arrays, not copies). */
    private static Map<String, byte[]> compiledClasses(KieBase kieBase) {
        Map<String, byte[]> classes = new TreeMap<>();
        for (KiePackage pkg : kieBase.getKiePackages()) {
            if (pkg instanceof InternalKnowledgePackage internal
                    && internal.getDialectRuntimeRegistry().getDialectData("java") instanceof JavaDialectRuntimeData java) {
                classes.putAll(java.getStore());
            }
        }
        return classes;
    }

    /**
     * Builds the rules from their files with the consequences' bytecode handed to the Java dialect
     * (what the KIE Maven plugin's kbase.cache does for a prebuilt kjar), so that the Java compiler
     * never runs; parsing and the rule network are built as always. Null when the result is not
     * exactly what a compile makes (an error, a class compiled afresh, a cached class left unused):
     * the caller then compiles, and a later activation replaces the entry.
     */
    private static Built buildWithCompiledClasses(RuleSetSource source, Map<String, byte[]> classes) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = RuleSetCompiler.class.getClassLoader();
        }
        KnowledgeBuilderConfiguration config = KnowledgeBuilderFactory.newKnowledgeBuilderConfiguration(loader);
        config.as(KnowledgeBuilderConfigurationImpl.KEY).setCompilationCache(CompiledRulesCache.compilationCache(classes));
        KnowledgeBuilder builder = KnowledgeBuilderFactory.newKnowledgeBuilder(config);
        CompositeKnowledgeBuilder batch = builder.batch();
        for (String rel : source.drlFiles()) {
            batch.add(drl(RESOURCE_ROOT + rel, source.files().get(rel)), ResourceType.DRL);
        }
        batch.add(drl(RESOURCE_ROOT + EngineRules.KFS_RELATIVE_PATH, EngineRules.CONTENT), ResourceType.DRL);
        batch.build();
        if (builder.hasErrors()) {
            return null;
        }
        InternalKnowledgeBase kieBase = KnowledgeBaseFactory.newKnowledgeBase(immutableKieBase(loader));
        kieBase.addPackages(builder.getKnowledgePackages());
        Map<String, byte[]> used = compiledClasses(kieBase);
        if (!used.keySet().equals(classes.keySet())
                || used.entrySet().stream().anyMatch(e -> !Arrays.equals(e.getValue(), classes.get(e.getKey())))) {
            return null;
        }
        try {
            linkEveryClass(kieBase);
        } catch (ClassNotFoundException e) {
            return null;
        }
        return new Built(null, kieBase, used, true);
    }

    /**
     * The engine defines a rule's classes when it first fires: a class that does not load would
     * surface in a scenario row as an error outside any rule (and reject the rules, at start-up stop
     * the service). Loaded here, it throws where the caller falls back to compiling. Generated
     * consequence classes hold no static initialiser of a clinician's code, so initialising them early is
     * what the first firing would do anyway.
     */
    private static void linkEveryClass(KieBase kieBase) throws ClassNotFoundException {
        for (KiePackage pkg : kieBase.getKiePackages()) {
            if (pkg instanceof InternalKnowledgePackage internal
                    && internal.getDialectRuntimeRegistry().getDialectData("java") instanceof JavaDialectRuntimeData java) {
                for (String file : java.getStore().keySet()) {
                    String name = file.substring(0, file.length() - ".class".length()).replace('/', '.');
                    Class.forName(name, true, java.getClassLoader());
                }
            }
        }
    }

    private static Resource drl(String sourcePath, String content) {
        Resource resource = ResourceFactory.newByteArrayResource(content.getBytes(StandardCharsets.UTF_8));
        resource.setSourcePath(sourcePath);
        return resource;
    }

    static String displayPath(RuleSetSource source, String rel) {
        return rel.equals(EngineRules.KFS_RELATIVE_PATH) ? EngineRules.DISPLAY_PATH : source.displayPath(rel);
    }

    static String contentOf(RuleSetSource source, String rel) {
        return rel.equals(EngineRules.KFS_RELATIVE_PATH) ? EngineRules.CONTENT : source.files().get(rel);
    }

    private static Integer lineOf(RuleSetSource source, String rel, String needle) {
        return RuleSetSource.lineIn(contentOf(source, rel), needle);
    }

    private static String fileOf(Rule rule, Map<String, String> displayByKfsPath) {
        if (rule instanceof RuleImpl impl) {
            Resource r = impl.getResource();
            if (r != null && r.getSourcePath() != null) {
                return displayByKfsPath.get(r.getSourcePath());
            }
        }
        return null;
    }

}
