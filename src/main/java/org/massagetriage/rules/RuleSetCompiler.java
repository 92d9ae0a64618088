package org.massagetriage.rules;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.drools.base.definitions.rule.impl.RuleImpl;
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
import org.kie.api.runtime.KieContainer;
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
    /** Each build gets its own release id, so that builds never replace each other in the KIE repository. */
    private static final AtomicLong BUILDS = new AtomicLong();

    private RuleSetCompiler() {
    }

    /** The compiled rule set, or null with at least one diagnostic. */
    public record Compilation(RuleSet ruleSet, List<Diagnostic> diagnostics) {
    }

    public static Compilation compile(RuleSetSource source) {
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

        KieServices ks = KieServices.Factory.get();
        ReleaseId releaseId = ks.newReleaseId("org.massagetriage", "rules", "1.0." + BUILDS.incrementAndGet());
        KieFileSystem kfs = ks.newKieFileSystem();
        kfs.generateAndWritePomXML(releaseId);
        Map<String, String> displayByKfsPath = new HashMap<>();
        for (String rel : source.drlFiles()) {
            kfs.write(KFS_ROOT + rel, source.files().get(rel));
            // Messages name the path below the resources root, rules' resources the full one: map both.
            displayByKfsPath.put(KFS_ROOT + rel, rel);
            displayByKfsPath.put(KFS_ROOT.substring("src/main/resources/".length()) + rel, rel);
        }
        kfs.write(KFS_ROOT + EngineRules.KFS_RELATIVE_PATH, EngineRules.CONTENT);
        displayByKfsPath.put(KFS_ROOT + EngineRules.KFS_RELATIVE_PATH, EngineRules.KFS_RELATIVE_PATH);
        displayByKfsPath.put(KFS_ROOT.substring("src/main/resources/".length()) + EngineRules.KFS_RELATIVE_PATH,
                EngineRules.KFS_RELATIVE_PATH);
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
        // Never changed after the build (a new rule set is a new KieBase): an immutable KieBase
        // skips the engine's guards for live changes, about 18% of an evaluation.
        KieBaseConfiguration kieBaseConfig = ks.newKieBaseConfiguration();
        kieBaseConfig.setOption(KieBaseMutabilityOption.DISABLED);
        KieBase kieBase;
        try {
            kieBase = container.newKieBase(kieBaseConfig);
        } catch (RuntimeException e) {
            container.dispose();
            throw e;
        }

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
            container.dispose();
            return new Compilation(null, diagnostics);
        }
        descriptions.sort((a, b) -> a.id().compareTo(b.id()));
        List<Scenario> scenarios = ScenarioTables.parse(source, diagnostics);
        RuleSet ruleSet = new RuleSet(source.version(), Instant.now().truncatedTo(ChronoUnit.MILLIS), List.copyOf(source.files().keySet()), container,
                kieBase, conclusions, descriptions, vocabularies, scenarios, thresholds.facts());
        return new Compilation(ruleSet, diagnostics);
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
