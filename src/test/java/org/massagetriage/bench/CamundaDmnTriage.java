package org.massagetriage.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnDecisionResultEntries;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.massagetriage.facts.Presentation;

/**
 * {@link DmnTriage} on Camunda's DMN engine (7.24, its default FEEL engine: FEEL-Scala). Evaluating
 * {@code triage} evaluates each required decision once, in dependency order.
 */
public final class CamundaDmnTriage implements DmnTriage {

    private final DmnEngine engine;
    private final DmnDecision triage;

    public CamundaDmnTriage() {
        engine = DmnEngineConfiguration.createDefaultDmnEngineConfiguration().buildEngine();
        try (InputStream in = CamundaDmnTriage.class.getClassLoader().getResourceAsStream(MODEL)) {
            if (in == null) {
                throw new IllegalStateException(MODEL + " is not on the class path");
            }
            triage = engine.parseDecision(DECISION, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ReferenceTriage.Result evaluate(Presentation p) {
        DmnDecisionResultEntries r = engine.evaluateDecision(triage, DmnTriage.inputs(p)).getSingleResult();
        return DmnTriage.result(r.getEntry("outcome"), r.getEntry("advice"), r.getEntry("missingFacts"));
    }
}
