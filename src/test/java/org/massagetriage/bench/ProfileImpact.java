package org.massagetriage.bench;

import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.massagetriage.facts.Presentation;
import org.massagetriage.governance.ImpactRuns;
import org.massagetriage.rules.DefaultRules;
import org.massagetriage.rules.ImpactReport;
import org.massagetriage.rules.RuleSet;
import org.massagetriage.rules.RuleSetCompiler;
import org.massagetriage.rules.RuleSetSource;
import org.massagetriage.rules.Scenario;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The impact report of issue 15, section 3, timed in a plain loop (run it under JFR to see where the
 * time goes): the default rules against a freshly loaded candidate, as a reload pays it, over
 * {@code Presentations.mix} cases and the generated set. Prints a digest of each report, so that a
 * change to the comparison can be shown to leave the report as it was.
 * Args: rounds (4), cases (50000), edit ({@code 48h} or {@code severe8}). Run with the test class path and
 * {@code -Djava.util.logging.manager=org.jboss.logmanager.LogManager}, as the service runs; see docs/performance.md.
 */
public final class ProfileImpact {

    private ProfileImpact() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        String edit = args.length > 2 ? args[2] : "48h";
        // As in the service (quarkus.log.level=INFO): Drools' trace logging must not be formatted.
        // -Dprofile.unconfiguredLogging=true leaves the log manager unconfigured (every level on), which
        // is what made the first impact figures in docs/performance.md about three times too slow.
        if (!Boolean.getBoolean("profile.unconfiguredLogging")) {
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
        }
        RuleSet active = DefaultRules.load();
        List<Presentation> mix = Presentations.mix(42, n);
        ObjectMapper json = new ObjectMapper();
        for (int round = 1; round <= rounds; round++) {
            long t0 = System.nanoTime();
            RuleSet candidate = candidate(edit);
            long t1 = System.nanoTime();
            List<Object> cases = ImpactRuns.recorded(mix);
            long t2 = System.nanoTime();
            long cpu = cpu();
            ImpactReport.Part recorded = ImpactRuns.compare(cases, candidate, active);
            long t3 = System.nanoTime();
            cpu = cpu() - cpu;
            ImpactReport.Part generated = ImpactRuns.generated(candidate, active);
            long t4 = System.nanoTime();
            System.out.printf("round %d: load %d ms, cases %d ms, recorded %d ms (cpu %d ms, %d cases, %d down, digest %s), generated %d ms (%d cases, digest %s)%n",
                    round, ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(cpu), recorded.cases(), recorded.downTriage(), digest(json, recorded),
                    ms(t4 - t3), generated.cases(), digest(json, generated));
            candidate.close();
        }
        active.close();
    }

    private static RuleSet candidate(String edit) {
        Map<String, String> files = new HashMap<>(DefaultRules.source().files());
        switch (edit) {
            case "48h" -> {
                files.compute("thresholds.properties", (k, v) -> v.replace("normal-soreness-hours=72", "normal-soreness-hours=48"));
                files.compute("scenarios/self-care.csv", (k, v) -> v.replace("SC-01-72h-unchanged,72,", "SC-01-48h-unchanged,48,"));
            }
            case "severe8" -> {
                files.compute("thresholds.properties", (k, v) -> v.replace("severe-pain=7", "severe-pain=8"));
                files.compute("scenarios/contact-therapist.csv", (k, v) -> v
                        .replace("CT-02-severity-7,24,DULL_ACHE,7,", "CT-02-severity-8,24,DULL_ACHE,8,")
                        .replace("CT-02-severity-7-at-73h,73,DULL_ACHE,7,", "CT-02-severity-8-at-73h,73,DULL_ACHE,8,"));
            }
            default -> throw new IllegalArgumentException("unknown edit " + edit);
        }
        // Compiled, then every scenario row evaluated once, as a load does before the impact run (a row
        // the edit breaks does not matter here: only the evaluations' warm-up does).
        RuleSetCompiler.Compilation c = RuleSetCompiler.compile(RuleSetSource.of("candidate", files));
        if (c.ruleSet() == null) {
            throw new AssertionError("the candidate does not compile: " + c.diagnostics());
        }
        for (Scenario s : c.ruleSet().scenarios()) {
            c.ruleSet().evaluate(s.presentation());
        }
        return c.ruleSet();
    }

    /** The process's CPU time (all threads, the JIT compiler's and GC's too): on a shared machine steadier than wall time. */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static String digest(ObjectMapper json, ImpactReport.Part part) throws Exception {
        byte[] bytes = json.writeValueAsBytes(part);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 6);
    }
}
