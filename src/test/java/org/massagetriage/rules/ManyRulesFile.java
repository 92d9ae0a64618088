package org.massagetriage.rules;

/** A rule file of many rules that keep to the rule language: large enough to take seconds to check. */
public final class ManyRulesFile {

    private ManyRulesFile() {
    }

    /** {@code n} rules, each matching one exact number of hours; none is exercised by a scenario row. */
    public static String drl(int n) {
        StringBuilder sb = new StringBuilder("""
                package triage;
                import org.massagetriage.facts.Presentation;
                global org.massagetriage.facts.Triage triage;
                """);
        for (int i = 0; i < n; i++) {
            sb.append("""
                    rule "MANY-%1$d Exactly %1$d hours"
                        @id("MANY-%1$d")
                        @source("[article] generated")
                        @outcome("CONTACT_THERAPIST")
                        agenda-group "classify"
                    when
                        Presentation( hoursSinceMassage == %1$d, painSeverity > %2$d )
                    then
                        triage.conclude(kcontext);
                    end
                    """.formatted(10_000 + i, i % 10));
        }
        return sb.toString();
    }
}
