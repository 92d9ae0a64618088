package org.massagetriage.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.Symptom;

/**
 * The default rules' criteria as DMN decision tables ({@value #MODEL}), decided by a peer engine:
 * the benchmark's comparison with the rules on the same mix. Test code only. The model is parsed once;
 * an evaluation builds the input variables, evaluates the decision {@code triage} and reads its
 * outcome, advice (in order) and missing facts. ReferenceTriageTests holds every implementation equal
 * to the rules.
 */
public interface DmnTriage {

    String MODEL = "bench/triage.dmn";

    /** The decision whose outputs are the answer; it requires the others. */
    String DECISION = "triage";

    ReferenceTriage.Result evaluate(Presentation p);

    /**
     * The presentation as the model's input data: enum values as their names, symptoms as a list of
     * names, and a field that was not given as null (the tables never read null as normal).
     */
    static Map<String, Object> inputs(Presentation p) {
        Map<String, Object> in = new HashMap<>(16);
        Set<Symptom> symptoms = p.getSymptoms();
        List<String> names = null;
        if (symptoms != null) {
            names = new ArrayList<>(symptoms.size());
            for (Symptom s : symptoms) {
                names.add(s.name());
            }
        }
        in.put("symptoms", names);
        in.put("bodyRegion", name(p.getBodyRegion()));
        in.put("painCharacter", name(p.getPainCharacter()));
        in.put("painSeverity", p.getPainSeverity());
        in.put("trend", name(p.getTrend()));
        in.put("hoursSinceMassage", p.getHoursSinceMassage());
        in.put("takesAnticoagulant", p.getTakesAnticoagulant());
        in.put("chronicLowBackPain", p.getChronicLowBackPain());
        in.put("recentSurgery", p.getRecentSurgery());
        in.put("preExistingCondition", p.getPreExistingCondition());
        in.put("takesMedication", p.getTakesMedication());
        return in;
    }

    /** The {@code triage} decision's three outputs as the reference's result type. */
    static ReferenceTriage.Result result(Object outcome, Object advice, Object missingFacts) {
        List<?> a = (List<?>) advice;
        List<AdviceKey> keys = new ArrayList<>(a.size());
        for (Object k : a) {
            keys.add(AdviceKey.valueOf((String) k));
        }
        List<?> m = (List<?>) missingFacts;
        List<String> missing = new ArrayList<>(m.size());
        for (Object f : m) {
            missing.add((String) f);
        }
        return new ReferenceTriage.Result(Outcome.valueOf((String) outcome), keys, missing);
    }

    private static String name(Enum<?> e) {
        return e == null ? null : e.name();
    }
}
