package org.massagetriage.bench;

import org.massagetriage.rules.DefaultRules;
import java.util.List;

import org.massagetriage.facts.Presentation;
import org.massagetriage.rules.RuleSet;

/** A plain loop over the rule path, to run under JFR: where does the time of one evaluation go? */
public final class ProfileRulePath {

    private ProfileRulePath() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        // As in the service (quarkus.log.level=INFO): Drools' trace logging must not be formatted.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
        RuleSet rules = DefaultRules.load();
        List<Presentation> mix = Presentations.mix(42, 1_000);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long n = 0;
        long start = System.nanoTime();
        while (System.nanoTime() < end) {
            for (Presentation p : mix) {
                rules.evaluate(p);
            }
            n += mix.size();
        }
        System.out.printf("%d evaluations, %.0f/s%n", n, n / ((System.nanoTime() - start) / 1e9));
        rules.close();
    }
}
