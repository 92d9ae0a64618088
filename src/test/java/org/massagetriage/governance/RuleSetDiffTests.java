package org.massagetriage.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.massagetriage.governance.RuleSetDiff.FileDiff;
import org.massagetriage.governance.RuleSetDiff.Result;
import org.massagetriage.governance.RuleSetDiff.RuleChange;
import org.massagetriage.governance.RuleSetDiff.RuleText;
import org.massagetriage.governance.RuleSetDiff.Status;
import org.massagetriage.rules.DefaultRules;

/**
 * The diff between two versions of the rule set, on the frozen fixture of the rules
 * ({@link DefaultRules#FIXTURE}) as {@code before} and an edited copy as {@code after}, the way a clinician
 * edits them. The expected unified diffs are what {@code git diff} prints for the same edit (without the
 * function name git adds after a hunk header). They pin lines and texts of the fixture, so a clinician's
 * edit of rules/ never breaks them.
 */
class RuleSetDiffTests {

    private static final Map<String, String> BEFORE = read(DefaultRules.FIXTURE);

    private final Map<String, String> after = new TreeMap<>(BEFORE);

    @Test
    void shouldFindNothingBetweenIdenticalVersions() {
        assertEquals(new Result(List.of(), List.of()), RuleSetDiff.between(BEFORE, after));
    }

    @Test
    void shouldDiffAChangedThresholdAndEveryRuleThatReadsIt() {
        edit("thresholds.properties", "normal-soreness-hours=72", "normal-soreness-hours=48");

        // Text blocks drop trailing spaces: \s is the space that marks a blank line of context.
        assertEquals(new Result(List.of(new FileDiff("thresholds.properties", Status.CHANGED, """
                --- a/thresholds.properties
                +++ b/thresholds.properties
                @@ -4,7 +4,7 @@
                 # Whole numbers only. A rule naming a threshold that is not set here is refused.
                \s
                 # Soreness normally resolves within this many hours (CT-01, SC-01).
                -normal-soreness-hours=72
                +normal-soreness-hours=48
                \s
                 # From this rating on the 0-10 pain scale, pain is severe (CT-02, SC-01).
                 severe-pain=7
                """)), List.of()).files(), RuleSetDiff.between(BEFORE, after).files());
        // The rules' text is unchanged, yet what CT-01 and SC-01 do is not: they read the changed value.
        Result result = RuleSetDiff.between(BEFORE, after);
        assertEquals(List.of("CT-01 CHANGED [thresholds]", "SC-01 CHANGED [thresholds]"),
                result.rules().stream().map(c -> c.id() + " " + c.change() + " " + c.changed()).toList());
        assertEquals(new TreeMap<>(Map.of("normal-soreness-hours", "72", "severe-pain", "7")), result.rules().get(1).before().thresholds());
        assertEquals(new TreeMap<>(Map.of("normal-soreness-hours", "48", "severe-pain", "7")), result.rules().get(1).after().thresholds());
    }

    @Test
    void shouldReportEachRuleThatWasAddedRemovedOrChangedWithTheChangedParts() {
        edit("contact-therapist.drl", "Presentation( painSeverity >= $severe )", "Presentation( painSeverity > $severe )");
        after.put("physiotherapy.drl", """
                package triage;

                import org.massagetriage.facts.Presentation;

                global org.massagetriage.facts.Triage triage;

                rule "CT-06 Very severe pain -> contact therapist"
                    @id("CT-06")
                    @source("[article] When to Contact Your Therapist: 'or is accompanied by severe pain'")
                    @outcome("CONTACT_THERAPIST")
                    agenda-group "classify"
                    salience 20
                when
                    Presentation( painSeverity >= 9 )
                then
                    triage.conclude(kcontext);
                end
                """);
        cutRule("urgent-assessment.drl", "UA-06");
        edit("advice.drl", "@advice(\"SEEK_URGENT_ASSESSMENT, REPORT_ALL_SYMPTOMS, AVOID_STRENUOUS_ACTIVITY\")",
                "@advice(\"SEEK_URGENT_ASSESSMENT, AVOID_STRENUOUS_ACTIVITY\")");
        edit("emergency.drl", "@id(\"RF-02\")\n    @source(\"[article] When to Contact Your Therapist: 'if you experience",
                "@id(\"RF-02\")\n    @source(\"[article] When to Contact Your Therapist, 2nd edition: 'if you experience");

        Result result = RuleSetDiff.between(BEFORE, after);

        assertEquals(List.of("advice.drl CHANGED", "contact-therapist.drl CHANGED", "emergency.drl CHANGED",
                "physiotherapy.drl ADDED", "urgent-assessment.drl CHANGED"),
                result.files().stream().map(f -> f.path() + " " + f.status()).toList());
        assertEquals(List.of(
                "ADV-03 CHANGED [advice] before after",
                "CT-02 CHANGED [condition] before after",
                "CT-06 ADDED [] after",
                "RF-02 CHANGED [source] before after",
                "UA-06 REMOVED [] before"),
                result.rules().stream().map(c -> c.id() + " " + c.change() + " " + c.changed()
                        + (c.before() == null ? "" : " before") + (c.after() == null ? "" : " after")).toList());

        RuleText ct02 = new RuleText("CT-02", "CT-02 Severe pain -> contact therapist", "contact-therapist.drl",
                "Threshold( name == \"severe-pain\", $severe : value )\nPresentation( painSeverity >= $severe )",
                "CONTACT_THERAPIST", List.of(), List.of(),
                "[article] When to Contact Your Therapist: 'or is accompanied by severe pain ... contact your massage therapist"
                + " or a healthcare professional promptly'",
                "agenda-group \"classify\"\nsalience 20", new TreeMap<>(Map.of("severe-pain", "7")));
        RuleText ct02After = new RuleText(ct02.id(), ct02.name(), ct02.file(),
                "Threshold( name == \"severe-pain\", $severe : value )\nPresentation( painSeverity > $severe )",
                ct02.outcome(), ct02.advice(), ct02.missing(), ct02.source(), ct02.attributes(), ct02.thresholds());
        assertEquals(new RuleChange("CT-02", Status.CHANGED, List.of("condition"), ct02, ct02After), result.rules().get(1));
        assertEquals(new RuleText("CT-06", "CT-06 Very severe pain -> contact therapist", "physiotherapy.drl",
                "Presentation( painSeverity >= 9 )", "CONTACT_THERAPIST", List.of(), List.of(),
                "[article] When to Contact Your Therapist: 'or is accompanied by severe pain'",
                "agenda-group \"classify\"\nsalience 20", new TreeMap<>()), result.rules().get(2).after());
        assertEquals(List.of("SEEK_URGENT_ASSESSMENT", "REPORT_ALL_SYMPTOMS", "AVOID_STRENUOUS_ACTIVITY"),
                result.rules().get(0).before().advice());
        assertEquals(List.of("SEEK_URGENT_ASSESSMENT", "AVOID_STRENUOUS_ACTIVITY"), result.rules().get(0).after().advice());
        assertEquals("[article] When to Contact Your Therapist, 2nd edition: 'if you experience symptoms such as dizziness,"
                + " fainting, or difficulty moving, seek medical attention immediately'", result.rules().get(3).after().source());

        // A new file is diffed against an empty one, its range starting before line 1 as in git.
        assertEquals("--- a/physiotherapy.drl\n+++ b/physiotherapy.drl\n@@ -0,0 +1,17 @@\n"
                + after.get("physiotherapy.drl").lines().map(l -> "+" + l + "\n").collect(Collectors.joining()),
                result.files().get(3).unifiedDiff());
    }

    @Test
    void shouldReportARuleMovedToAnotherFileAsChangedInItsFileOnly() {
        String ct04 = cutRule("contact-therapist.drl", "CT-04");
        // Indented differently, with a blank line: the condition reads the same.
        String moved = ct04.replace("when\n    Presentation(", "when\n\n\t\tPresentation(");
        assertNotEquals(ct04, moved);
        after.put("emergency.drl", after.get("emergency.drl") + "\n" + moved);

        Result result = RuleSetDiff.between(BEFORE, after);

        RuleText before = new RuleText("CT-04", "CT-04 Anxiety or distress -> contact therapist", "contact-therapist.drl",
                "Presentation( symptoms contains Symptom.ANXIETY_OR_DISTRESS )", "CONTACT_THERAPIST", List.of(), List.of(),
                "[article] When to Contact Your Therapist: 'if you find yourself feeling unusually anxious or distressed"
                + " during or after a session, it's crucial to communicate these feelings to your therapist'",
                "agenda-group \"classify\"\nsalience 20", new TreeMap<>());
        RuleText movedText = new RuleText(before.id(), before.name(), "emergency.drl", before.condition(), before.outcome(),
                before.advice(), before.missing(), before.source(), before.attributes(), before.thresholds());
        assertEquals(List.of(new RuleChange("CT-04", Status.CHANGED, List.of("file"), before, movedText)), result.rules());
        assertEquals(List.of("contact-therapist.drl CHANGED", "emergency.drl CHANGED"),
                result.files().stream().map(f -> f.path() + " " + f.status()).toList());
    }

    /**
     * A file that does not parse says nothing of its rules: they are reported neither removed nor added,
     * in either direction, and the file diff shows the edit. Rules elsewhere are compared as usual, also
     * one that left the broken file.
     */
    @Test
    void shouldReportTheRulesOfAFileThatDoesNotParseNeitherAddedNorRemoved() {
        edit("contact-therapist.drl", "Presentation( painSeverity >= $severe )", "Presentation( painSeverity > $severe )");
        after.put("emergency.drl", after.get("emergency.drl") + "\n" + cutRule("urgent-assessment.drl", "UA-06"));
        after.put("urgent-assessment.drl", after.get("urgent-assessment.drl")
                + "\nrule \"UA-11 Half written\"\n    @id(\"UA-11\")\nwhen\n    Presentation(\n");

        Result forward = RuleSetDiff.between(BEFORE, after);
        Result backward = RuleSetDiff.between(after, BEFORE);

        assertEquals(List.of("contact-therapist.drl CHANGED", "emergency.drl CHANGED", "urgent-assessment.drl CHANGED"),
                forward.files().stream().map(f -> f.path() + " " + f.status()).toList());
        // UA-06 is the last rule of the file, so the half-written rule takes its place: its "when" is context, as in git.
        assertEquals("""
                --- a/urgent-assessment.drl
                +++ b/urgent-assessment.drl
                @@ -69,14 +69,8 @@
                     triage.conclude(kcontext);
                 end
                \s
                -rule "UA-06 Weakness -> urgent assessment"
                -    @id("UA-06")
                -    @source("[article] Normal vs Concerning Soreness: 'accompanied by swelling, bruising, numbness, or weakness may indicate an adverse reaction or injury. Such symptoms warrant immediate attention'")
                -    @outcome("URGENT_ASSESSMENT")
                -    agenda-group "classify"
                -    salience 30
                +
                +rule "UA-11 Half written"
                +    @id("UA-11")
                 when
                -    Presentation( symptoms contains Symptom.WEAKNESS )
                -then
                -    triage.conclude(kcontext);
                -end
                +    Presentation(
                """, forward.files().get(2).unifiedDiff());
        assertEquals(List.of("CT-02 CHANGED [condition]", "UA-06 CHANGED [file]"),
                forward.rules().stream().map(c -> c.id() + " " + c.change() + " " + c.changed()).toList());
        assertEquals(List.of("CT-02 CHANGED [condition]", "UA-06 CHANGED [file]"),
                backward.rules().stream().map(c -> c.id() + " " + c.change() + " " + c.changed()).toList());
        assertEquals("emergency.drl", forward.rules().get(1).after().file());
    }

    /** The rule's own text is scanned for when and then: not in its name, a metadata quote or a comment. */
    @Test
    void shouldReadAConditionBetweenItsKeywordsAndKeyARuleWithoutIdByName() {
        Map<String, String> added = Map.of("extra.drl", """
                package triage;
                rule "When sore then rest"
                    @source("[article] rest when sore, then move") @advice( " REST ,LIGHT_MOVEMENT, " )
                    @missing("trend")
                    salience 5
                    agenda-group "advise"
                when   // then: not yet
                    /* when */ Presentation( painSeverity >= 3,
                                 trend == null )

                    not Finding( ruleId == "then" )
                then
                    triage.conclude(kcontext);
                end
                """);

        assertEquals(List.of(new RuleChange("When sore then rest", Status.ADDED, List.of(), null, new RuleText(null,
                "When sore then rest", "extra.drl",
                "// then: not yet\n/* when */ Presentation( painSeverity >= 3,\ntrend == null )"
                + "\nnot Finding( ruleId == \"then\" )",
                null, List.of("REST", "LIGHT_MOVEMENT"), List.of("trend"), "[article] rest when sore, then move",
                "agenda-group \"advise\"\nsalience 5", new TreeMap<>()))), RuleSetDiff.between(Map.of(), added).rules());
    }

    /** What git prints for a missing final line break, a removed file and an added empty file. */
    @Test
    void shouldWriteFileDiffsAsGitDoes() {
        Result result = RuleSetDiff.between(Map.of("a.csv", "one\ntwo\nthree\n", "gone.csv", "x\n"),
                Map.of("a.csv", "one\ntwo\nthree", "empty.csv", ""));

        assertEquals(List.of(
                new FileDiff("a.csv", Status.CHANGED, """
                        --- a/a.csv
                        +++ b/a.csv
                        @@ -1,3 +1,3 @@
                         one
                         two
                        -three
                        +three
                        \\ No newline at end of file
                        """),
                new FileDiff("empty.csv", Status.ADDED, "--- a/empty.csv\n+++ b/empty.csv\n"),
                new FileDiff("gone.csv", Status.REMOVED, "--- a/gone.csv\n+++ b/gone.csv\n@@ -1 +0,0 @@\n-x\n")),
                result.files());
        assertEquals(List.of(), result.rules());
    }

    /** Replaces the one occurrence of {@code from} in the edited copy of {@code path}. */
    private void edit(String path, String from, String to) {
        String text = after.get(path);
        int at = text.indexOf(from);
        assertTrue(at >= 0 && text.indexOf(from, at + 1) < 0, "exactly one '" + from + "' in " + path);
        after.put(path, text.replace(from, to));
    }

    /** Removes the rule with this id from the edited copy of {@code path}, and returns its text up to and with "end\n". */
    private String cutRule(String path, String id) {
        String text = after.get(path);
        int start = text.indexOf("rule \"" + id + " ");
        int end = text.indexOf("\nend\n", start) + "\nend\n".length();
        assertTrue(start >= 0 && end > start, id + " in " + path);
        after.put(path, text.substring(0, start) + text.substring(end));
        return text.substring(start, end);
    }

    /** Every file under {@code root}, keyed by its path relative to it with '/' separators. */
    private static Map<String, String> read(Path root) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String relative = root.relativize(p).toString().replace(File.separatorChar, '/');
                files.put(relative, Files.readString(p, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
