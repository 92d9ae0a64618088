package org.massagetriage.bench;

import java.util.Map;

import org.kie.dmn.api.core.DMNContext;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNResult;
import org.kie.dmn.api.core.DMNRuntime;
import org.kie.dmn.core.internal.utils.DMNRuntimeBuilder;
import org.massagetriage.facts.Presentation;

/**
 * {@link DmnTriage} on the KIE DMN engine (10.2, the Drools project's; its own FEEL, decision tables
 * interpreted, the default). A model or an evaluation with an error message fails: the peer must
 * decide, not degrade to null.
 */
public final class KieDmnTriage implements DmnTriage {

    private final DMNRuntime runtime;
    private final DMNModel model;

    public KieDmnTriage() {
        runtime = DMNRuntimeBuilder.fromDefaults().buildConfiguration()
                .fromClasspathResource(MODEL, KieDmnTriage.class)
                .getOrElseThrow(e -> new IllegalStateException("cannot compile " + MODEL, e));
        model = runtime.getModels().get(0);
        if (model.hasErrors()) {
            throw new IllegalStateException(MODEL + ": " + model.getMessages());
        }
    }

    @Override
    public ReferenceTriage.Result evaluate(Presentation p) {
        DMNContext context = runtime.newContext();
        DmnTriage.inputs(p).forEach(context::set);
        DMNResult r = runtime.evaluateByName(model, context, DECISION);
        if (r.hasErrors()) {
            throw new IllegalStateException(DECISION + ": " + r.getMessages());
        }
        Map<?, ?> answer = (Map<?, ?>) r.getDecisionResultByName(DECISION).getResult();
        return DmnTriage.result(answer.get("outcome"), answer.get("advice"), answer.get("missingFacts"));
    }
}
