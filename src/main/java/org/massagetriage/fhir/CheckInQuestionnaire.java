package org.massagetriage.fhir;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.massagetriage.facts.Fact;
import org.massagetriage.facts.Symptom;
import org.massagetriage.rules.Vocabulary;
import org.massagetriage.triage.VocabularyService;

/**
 * The triage request as a FHIR R4 Questionnaire, and the CodeSystem of its answer codes, generated
 * from the one description of the facts ({@link Fact}) and the active rule set's symptom questions:
 * a new fact or symptom, or a clinician's new wording, reaches booking systems without an edit here.
 * Item texts of the other facts are their {@link Fact#description()}: no patient-facing question is
 * registered for them, and this class does not invent clinical wording.
 */
@ApplicationScoped
public class CheckInQuestionnaire {

    public static final String ID = "post-massage-check-in";
    public static final String QUESTIONNAIRE_URL = "urn:massage-triage:Questionnaire:" + ID;
    public static final String CODE_SYSTEM_URL = "urn:massage-triage:CodeSystem:" + ID;
    /** The symptoms answer that means "none of these" ({@code []}); leaving the item out means "not asked". */
    public static final String NONE_OF_THESE = "NONE_OF_THESE";
    static final String NONE_OF_THESE_DISPLAY = "None of these";
    static final String MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue";
    static final String MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue";
    /** The R4 extension (R5 made it the answerOption's {@code exclusive}) that says "none" cannot be ticked with another option. */
    static final String OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive";

    private final FhirFormat format;
    private final VocabularyService vocabulary;
    /** The last generation and the vocabulary it came from; a reload brings a new vocabulary object. */
    private volatile Cached cached;

    private record Cached(Vocabulary vocabulary, Generated generated) {
    }

    /**
     * The resources as served, and their shared version: a hash of both as generated without it, so
     * it changes exactly when a fact, an option or a text changes (not on a rule edit that leaves them).
     */
    public record Generated(String version, String questionnaireJson, String codeSystemJson) {
    }

    public CheckInQuestionnaire(FhirFormat format, VocabularyService vocabulary) {
        this.format = format;
        this.vocabulary = vocabulary;
    }

    public Generated current() {
        Vocabulary v = vocabulary.vocabulary().vocabulary();
        Cached c = cached;
        if (c == null || c.vocabulary() != v) {
            c = new Cached(v, generate(v));
            cached = c;
        }
        return c.generated();
    }

    Generated generate(Vocabulary texts) {
        Questionnaire questionnaire = questionnaire(texts);
        CodeSystem codeSystem = codeSystem(texts);
        String version = "sha256:" + sha256(format.encode(questionnaire) + "\n" + format.encode(codeSystem)).substring(0, 16);
        questionnaire.setVersion(version);
        codeSystem.setVersion(version);
        return new Generated(version, format.encode(questionnaire), format.encode(codeSystem));
    }

    private static Questionnaire questionnaire(Vocabulary texts) {
        Questionnaire q = new Questionnaire();
        q.setId(ID);
        q.setUrl(QUESTIONNAIRE_URL);
        q.setName("PostMassageCheckIn");
        q.setTitle("Post-massage check-in");
        q.setStatus(PublicationStatus.ACTIVE);
        q.setDescription("The facts POST /api/v1/triage decides on, one item per request field. Every item is"
                + " optional: an item left out of the response means 'not asked' and is never assumed normal.");
        for (Fact fact : Fact.values()) {
            QuestionnaireItemComponent item = q.addItem().setLinkId(fact.factName()).setText(fact.description());
            switch (fact.kind()) {
                case WHOLE_NUMBER -> {
                    item.setType(QuestionnaireItemType.INTEGER);
                    item.addExtension(MIN_VALUE, new IntegerType(fact.min()));
                    item.addExtension(MAX_VALUE, new IntegerType(fact.max()));
                }
                case ONE_OF, SET_OF -> {
                    item.setType(QuestionnaireItemType.CHOICE).setRepeats(fact.kind() == Fact.Kind.SET_OF);
                    for (Enum<?> value : fact.constants()) {
                        item.addAnswerOption().setValue(coding(value.name(), display(value, texts)));
                    }
                    if (fact.kind() == Fact.Kind.SET_OF) {
                        item.addAnswerOption().setValue(coding(NONE_OF_THESE, NONE_OF_THESE_DISPLAY))
                                .addExtension(OPTION_EXCLUSIVE, new BooleanType(true));
                    }
                }
                case FLAGS -> {
                    item.setType(QuestionnaireItemType.GROUP);
                    for (Fact.HistoryFlag flag : Fact.HistoryFlag.values()) {
                        item.addItem().setLinkId(historyLinkId(fact, flag)).setText(flag.description())
                                .setType(QuestionnaireItemType.BOOLEAN);
                    }
                }
            }
        }
        return q;
    }

    private static CodeSystem codeSystem(Vocabulary texts) {
        Map<String, String> concepts = new LinkedHashMap<>();
        for (Fact fact : Fact.values()) {
            for (Enum<?> value : fact.constants()) {
                addConcept(concepts, value.name(), display(value, texts), fact);
            }
            if (fact.kind() == Fact.Kind.SET_OF) {
                addConcept(concepts, NONE_OF_THESE, NONE_OF_THESE_DISPLAY, fact);
            }
        }
        CodeSystem cs = new CodeSystem();
        cs.setId(ID);
        cs.setUrl(CODE_SYSTEM_URL);
        cs.setName("PostMassageCheckInCodes");
        cs.setTitle("Post-massage check-in answer codes");
        cs.setStatus(PublicationStatus.ACTIVE);
        cs.setCaseSensitive(true);
        cs.setContent(CodeSystem.CodeSystemContentMode.COMPLETE);
        cs.setDescription("The answer codes of the post-massage check-in: the request's values, as in the JSON API.");
        concepts.forEach((code, display) -> cs.addConcept().setCode(code).setDisplay(display));
        cs.setCount(concepts.size());
        return cs;
    }

    /** One code system for every choice keeps a code's meaning unambiguous only while no two facts share a value name. */
    private static void addConcept(Map<String, String> concepts, String code, String display, Fact fact) {
        if (concepts.putIfAbsent(code, display) != null) {
            throw new IllegalStateException("the answer code " + code + " of " + fact.factName()
                    + " is already used by another fact; rename one of the values");
        }
    }

    /** A symptom's option shows the clinicians' question; other values have no registered text, so their code. */
    private static String display(Enum<?> value, Vocabulary texts) {
        return value instanceof Symptom s ? texts.symptoms().get(s) : value.name();
    }

    private static Coding coding(String code, String display) {
        return new Coding(CODE_SYSTEM_URL, code, display);
    }

    static String historyLinkId(Fact history, Fact.HistoryFlag flag) {
        return history.factName() + "." + flag.flagName();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
