package org.massagetriage.triage;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.massagetriage.audit.AuditTrail;
import org.massagetriage.audit.DecisionPage;
import org.massagetriage.audit.DecisionQuery;
import org.massagetriage.audit.DecisionRecord;

/** The auditor's use case: recorded decisions, one by id or a page by time window and outcome. */
@ApplicationScoped
public class DecisionQueries {

    private final AuditTrail audit;

    public DecisionQueries(AuditTrail audit) {
        this.audit = audit;
    }

    public Optional<DecisionRecord> find(UUID id) {
        return audit.find(id);
    }

    public DecisionPage page(DecisionQuery query) {
        return audit.list(query);
    }
}
