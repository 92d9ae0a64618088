package org.massagetriage.ops;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.massagetriage.audit.AuditTrail;

/** Ready only while the decision store answers: without it, no decision may be given. */
@Readiness
@ApplicationScoped
public class StoreReadiness implements HealthCheck {

    private final AuditTrail audit;

    public StoreReadiness(AuditTrail audit) {
        this.audit = audit;
    }

    @Override
    public HealthCheckResponse call() {
        String reason = audit.unavailableReason();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("decision-store").status(reason == null)
                .withData("store", audit.kind());
        if (reason != null) {
            b.withData("reason", reason);
        }
        return b.build();
    }
}
