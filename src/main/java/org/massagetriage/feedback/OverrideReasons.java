package org.massagetriage.feedback;

import java.util.List;
import java.util.Optional;

/**
 * The override reasons this service offers on its cards, and the only ones its feedback accepts.
 * The card builder offers exactly {@link #OFFERED}, in this order, as the card's
 * {@code overrideReasons}; {@link CardFeedbackService} refuses an overridden item whose reason is
 * not one of them. One list for both, so that a reason a card shows can never be refused.
 * A display is required on an offered reason (CDS Hooks 2.0, Coding).
 */
public final class OverrideReasons {

    /** The code system of every offered reason. */
    public static final String SYSTEM = "urn:massage-triage:cds-override-reason";

    public static final String ALREADY_ASSESSED = "already-assessed";
    public static final String PATIENT_DECLINED = "patient-declined";
    public static final String NOT_APPLICABLE = "not-applicable";
    public static final String OTHER = "other";

    /** In the order a card offers them. */
    public static final List<Coding> OFFERED = List.of(
            new Coding(ALREADY_ASSESSED, SYSTEM, "Already assessed by a clinician"),
            new Coding(PATIENT_DECLINED, SYSTEM, "Patient declined"),
            new Coding(NOT_APPLICABLE, SYSTEM, "Not applicable to this patient"),
            new Coding(OTHER, SYSTEM, "Other reason"));

    private OverrideReasons() {
    }

    /** The offered reason with this system and code, if it is one (both compared exactly). */
    public static Optional<Coding> offered(String system, String code) {
        return OFFERED.stream().filter(c -> c.system().equals(system) && c.code().equals(code)).findFirst();
    }

    /** The offered codes, comma-separated, for error messages. */
    static String codes() {
        return String.join(", ", OFFERED.stream().map(Coding::code).toList());
    }
}
