package org.massagetriage.rules;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import org.massagetriage.facts.Fact;
import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.RuleConclusion;

/**
 * Compiles a {@link RuleSetSource} with the classic Drools engine at run time and checks the
 * structure the service relies on: unique {@code @id}, a {@code @source} on every rule, and only
 * outcomes, advice keys and fact names the API knows. It does not run scenarios; see
 * {@link RuleSetLoader}.
 */
public final class RuleSetCompiler {

    // Rule files declare "package triage;"; a matching folder keeps Drools from warning on every build.
    private static final String KFS_ROOT = "src/main/resources/triage/";
    private static final String PARSER_NULL_PACKAGE = "Parser returned a null Package";
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
        Vocabulary vocabulary = Vocabulary.parse(source, diagnostics);
        Thresholds thresholds = Thresholds.parse(source, diagnostics);
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
            diagnostics.addAll(compileDiagnostics(source, errors, displayByKfsPath));
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
                RuleConclusion c = checkRule(rule, display, line, vocabulary, idLocations, diagnostics);
                if (c != null) {
                    conclusions.put(c.ruleId(), c);
                    descriptions.add(new RuleDescription(c.ruleId(), c.ruleName(), c.source(), display, line,
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
                kieBase, conclusions, descriptions, vocabulary, scenarios, thresholds.facts());
        return new Compilation(ruleSet, diagnostics);
    }

    private static List<Diagnostic> compileDiagnostics(RuleSetSource source, List<Message> errors,
                                                       Map<String, String> displayByKfsPath) {
        List<Diagnostic> out = new ArrayList<>();
        for (Message m : errors) {
            String rel = displayByKfsPath.get(m.getPath());
            boolean otherErrorInFile = errors.stream()
                    .anyMatch(o -> o != m && Objects.equals(o.getPath(), m.getPath())
                            && !o.getText().contains(PARSER_NULL_PACKAGE));
            if (m.getText().contains(PARSER_NULL_PACKAGE) && otherErrorInFile) {
                continue; // Drools adds this after every syntax error; the real error is reported already
            }
            String display = rel == null ? m.getPath() : displayPath(source, rel);
            Integer line = m.getLine() > 0 ? m.getLine() : null;
            Integer column = m.getColumn() > 0 ? Integer.valueOf(m.getColumn()) : columnIn(m.getText());
            String rule = rel == null || line == null ? null : ruleAt(contentOf(source, rel), line);
            out.add(new Diagnostic(Diagnostic.Kind.COMPILE, display, line, column, rule, null, oneLine(m.getText())));
        }
        return out;
    }

    private static String displayPath(RuleSetSource source, String rel) {
        return rel.equals(EngineRules.KFS_RELATIVE_PATH) ? EngineRules.DISPLAY_PATH : source.displayPath(rel);
    }

    private static String contentOf(RuleSetSource source, String rel) {
        return rel.equals(EngineRules.KFS_RELATIVE_PATH) ? EngineRules.CONTENT : source.files().get(rel);
    }

    private static Integer lineOf(RuleSetSource source, String rel, String needle) {
        return RuleSetSource.lineIn(contentOf(source, rel), needle);
    }

    private static final Pattern LINE_COLUMN =
            Pattern.compile("\\[Line: (\\d+), Column: (\\d+)\\]");

    private static final Pattern PARSER_LINE_COLUMN =
            Pattern.compile("\\bLine (\\d+):(\\d+)\\b");

    /**
     * The column, which Drools gives only inside its text: {@code [Line: 30, Column: 4]} from MVEL,
     * {@code Line 21:53} (0-based) from the parser.
     */
    static Integer columnIn(String text) {
        Matcher m = LINE_COLUMN.matcher(text);
        if (m.find()) {
            return Integer.valueOf(m.group(2));
        }
        Matcher p = PARSER_LINE_COLUMN.matcher(text);
        return p.find() ? Integer.valueOf(p.group(2)) + 1 : null;
    }

    /**
     * Drools' messages span lines with a caret drawing and a position the diagnostic already has;
     * a clinician needs the sentence, on one line.
     */
    static String oneLine(String text) {
        StringBuilder sb = new StringBuilder();
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.equals("^") || line.startsWith("[Near") || LINE_COLUMN.matcher(line).matches()) {
                continue;
            }
            if (line.startsWith("[Error: ") && line.endsWith("]")) {
                line = line.substring("[Error: ".length(), line.length() - 1);
            }
            sb.append(sb.length() == 0 ? "" : " ").append(line);
        }
        return sb.toString();
    }

    /**
     * The name of the rule whose declaration is at or above {@code line}, for errors that Drools
     * reports at a rule's first line although they are inside its consequence.
     */
    static String ruleAt(String content, int line) {
        String[] lines = content.split("\n", -1);
        for (int i = Math.min(line, lines.length) - 1; i >= 0; i--) {
            String t = lines[i].strip();
            if (t.startsWith("rule ")) {
                int q1 = t.indexOf('"');
                int q2 = q1 < 0 ? -1 : t.indexOf('"', q1 + 1);
                return q2 > q1 ? t.substring(q1 + 1, q2) : t.substring(5).strip();
            }
            if (t.equals("end") && i < line - 1) {
                return null;
            }
        }
        return null;
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

    private static RuleConclusion checkRule(Rule rule, String file, Integer line, Vocabulary vocabulary,
                                            Map<String, String> idLocations, List<Diagnostic> diagnostics) {
        List<String> problems = new ArrayList<>();
        String id = meta(rule, "id");
        String source = meta(rule, "source");
        if (id == null || id.isBlank()) {
            problems.add("has no @id; every rule needs a unique id such as @id(\"CT-05\")");
        } else {
            String where = file + (line == null ? "" : ":" + line);
            String earlier = idLocations.putIfAbsent(id, where);
            if (earlier != null) {
                problems.add("@id(\"" + id + "\") is already used by the rule at " + earlier);
            }
        }
        if (source == null || source.isBlank()) {
            problems.add("has no @source; cite the section and a short quote of the passage it encodes");
        }
        Outcome outcome = null;
        String outcomeText = meta(rule, "outcome");
        if (outcomeText != null) {
            outcome = Vocabulary.enumOrNull(Outcome.class, outcomeText.strip());
            if (outcome == null) {
                problems.add("@outcome(\"" + outcomeText + "\") is not an outcome; expected one of "
                        + Arrays.toString(Outcome.values()));
            }
        }
        List<AdviceKey> advice = new ArrayList<>();
        for (String a : listMeta(rule, "advice")) {
            AdviceKey key = Vocabulary.enumOrNull(AdviceKey.class, a);
            if (key == null) {
                problems.add("@advice names '" + a + "', which is not an advice key the API knows");
            } else if (!vocabulary.advice().containsKey(key)) {
                problems.add("@advice names " + a + ", which has no text in " + RuleSetSource.VOCABULARY_FILE);
            } else {
                advice.add(key);
            }
        }
        List<String> missing = new ArrayList<>();
        for (String m : listMeta(rule, "missing")) {
            if (Fact.NAMES.contains(m)) {
                missing.add(m);
            } else {
                problems.add("@missing names '" + m + "', which is not a request field; expected one of "
                        + Fact.NAMES);
            }
        }
        if (!problems.isEmpty()) {
            for (String p : problems) {
                diagnostics.add(new Diagnostic(Diagnostic.Kind.STRUCTURE, file, line, null, rule.getName(), null, p));
            }
            return null;
        }
        return new RuleConclusion(id, rule.getName(), source, outcome, advice, missing);
    }

    /**
     * A metadata value as a string. Drools keeps the quotes of {@code @id("RF-01")} in some versions
     * and not in others; RuleMetadataTests pins what this one does.
     */
    static String meta(Rule rule, String key) {
        Object v = rule.getMetaData().get(key);
        if (v == null) {
            return null;
        }
        String s = v.toString();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static List<String> listMeta(Rule rule, String key) {
        String v = meta(rule, key);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
