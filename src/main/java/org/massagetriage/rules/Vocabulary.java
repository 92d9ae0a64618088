package org.massagetriage.rules;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.Symptom;

/**
 * Plain-English texts for outcomes and advice keys, and the question a booking system asks for each
 * symptom, read from {@code rules/vocabulary.en.properties}. They belong to the rule set (clinicians
 * own the wording) and are checked with it: every outcome, advice key and symptom needs a text, and
 * a key the service does not know is an error, not ignored.
 *
 * @param symptoms  the patient-facing question for each symptom value, so that every booking system
 *                  asks the same question (what exactly counts)
 * @param summaries the one-line headline of an outcome for the people at a clinic's desk, such as a
 *                  CDS Hooks card's summary (shorter than {@link #MAX_SUMMARY_LENGTH} characters).
 *                  Optional: rule sets stored before these existed must still compile (replay of
 *                  their decisions, resuming the last released set), so an outcome without one is
 *                  summarised by its outcome text ({@link #summary(Outcome)})
 */
public record Vocabulary(Map<Outcome, String> outcomes, Map<AdviceKey, String> advice, Map<Symptom, String> symptoms,
                         Map<Outcome, String> summaries) {

    private static final String OUTCOME_PREFIX = "outcome.";
    private static final String ADVICE_PREFIX = "advice.";
    private static final String SYMPTOM_PREFIX = "symptom.";
    private static final String SUMMARY_PREFIX = "summary.";
    /** CDS Hooks 2.0: a card's summary is "<140 characters"; an EHR may cut a longer one anywhere. */
    public static final int MAX_SUMMARY_LENGTH = 140;

    public Vocabulary {
        outcomes = Map.copyOf(outcomes);
        advice = Map.copyOf(advice);
        symptoms = Map.copyOf(symptoms);
        summaries = Map.copyOf(summaries);
    }

    static final String SUMMARY_FALLBACK_PREFIX = "Post-massage check-in: ";

    /**
     * The outcome's summary, or, without one, the prefix and the outcome's own text, cut at a word
     * before {@link #MAX_SUMMARY_LENGTH} characters: the rule set's words either way, never the code's.
     */
    public String summary(Outcome outcome) {
        String own = summaries.get(outcome);
        if (own != null) {
            return own;
        }
        String text = SUMMARY_FALLBACK_PREFIX + outcomes.get(outcome);
        if (text.length() < MAX_SUMMARY_LENGTH) {
            return text;
        }
        int cut = text.lastIndexOf(' ', MAX_SUMMARY_LENGTH - 2);
        return text.substring(0, cut) + "\u2026";
    }

    /** The language every rule set has, and the one answered when a client asks for none that exists. */
    public static final String DEFAULT_LANGUAGE = "en";
    /** {@code vocabulary.<language tag>.properties} at the top of the rules directory. */
    private static final Pattern FILE = Pattern.compile("vocabulary\\.([a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\\.properties");

    /**
     * Every vocabulary of a source by language tag, English first. Each file is checked on its own
     * exactly as the English one: every outcome, advice key and symptom needs a text in every
     * language, so a client asking for a language never gets a text silently in another.
     */
    static Map<String, Vocabulary> parseAll(RuleSetSource source, List<Diagnostic> diagnostics) {
        Map<String, Vocabulary> out = new LinkedHashMap<>();
        out.put(DEFAULT_LANGUAGE, parse(source, RuleSetSource.VOCABULARY_FILE, diagnostics));
        for (String name : source.files().keySet()) {
            Matcher m = FILE.matcher(name);
            if (m.matches() && !m.group(1).equals(DEFAULT_LANGUAGE)) {
                out.put(m.group(1), parse(source, name, diagnostics));
            }
        }
        return out;
    }

    /** Parses the English vocabulary file of a source, adding a diagnostic for every problem found. */
    static Vocabulary parse(RuleSetSource source, List<Diagnostic> diagnostics) {
        return parse(source, RuleSetSource.VOCABULARY_FILE, diagnostics);
    }

    private static Vocabulary parse(RuleSetSource source, String file, List<Diagnostic> diagnostics) {
        String display = source.displayPath(file);
        String content = source.files().get(file);
        Map<Outcome, String> outcomes = new EnumMap<>(Outcome.class);
        Map<AdviceKey, String> advice = new EnumMap<>(AdviceKey.class);
        Map<Symptom, String> symptoms = new EnumMap<>(Symptom.class);
        Map<Outcome, String> summaries = new EnumMap<>(Outcome.class);
        if (content == null) {
            diagnostics.add(Diagnostic.of(Diagnostic.Kind.STRUCTURE, display, null,
                    "the vocabulary file is missing: every outcome, advice key and symptom needs a plain-English text"));
            return new Vocabulary(outcomes, advice, symptoms, summaries);
        }
        Properties props = new Properties();
        try {
            props.load(new StringReader(content));
        } catch (IOException | IllegalArgumentException e) {
            diagnostics.add(Diagnostic.of(Diagnostic.Kind.COMPILE, display, null, "cannot be read: " + e.getMessage()));
            return new Vocabulary(outcomes, advice, symptoms, summaries);
        }
        List<String> unknown = new ArrayList<>();
        for (String key : props.stringPropertyNames()) {
            String text = props.getProperty(key).strip();
            boolean known = false;
            if (key.startsWith(OUTCOME_PREFIX)) {
                Outcome o = enumOrNull(Outcome.class, key.substring(OUTCOME_PREFIX.length()));
                if (o != null) {
                    known = true;
                    putText(outcomes, o, text, key, source, file, diagnostics);
                }
            } else if (key.startsWith(ADVICE_PREFIX)) {
                AdviceKey a = enumOrNull(AdviceKey.class, key.substring(ADVICE_PREFIX.length()));
                if (a != null) {
                    known = true;
                    putText(advice, a, text, key, source, file, diagnostics);
                }
            } else if (key.startsWith(SUMMARY_PREFIX)) {
                Outcome o = enumOrNull(Outcome.class, key.substring(SUMMARY_PREFIX.length()));
                if (o != null) {
                    known = true;
                    if (text.length() >= MAX_SUMMARY_LENGTH) {
                        diagnostics.add(Diagnostic.of(Diagnostic.Kind.STRUCTURE, display, source.lineOf(file, key + "="),
                                "the text of '" + key + "' has " + text.length() + " characters: a summary must be shorter than "
                                        + MAX_SUMMARY_LENGTH + " (CDS Hooks cards show it as one line)"));
                    } else {
                        putText(summaries, o, text, key, source, file, diagnostics);
                    }
                }
            } else if (key.startsWith(SYMPTOM_PREFIX)) {
                Symptom sy = enumOrNull(Symptom.class, key.substring(SYMPTOM_PREFIX.length()));
                if (sy != null) {
                    known = true;
                    putText(symptoms, sy, text, key, source, file, diagnostics);
                }
            }
            if (!known) {
                unknown.add(key);
            }
        }
        unknown.stream().sorted().forEach(key -> diagnostics.add(Diagnostic.of(Diagnostic.Kind.STRUCTURE, display,
                source.lineOf(file, key + "="), "unknown key '" + key + "': expected outcome.<OUTCOME>, summary.<OUTCOME>, advice.<ADVICE_KEY> or symptom.<SYMPTOM>")));
        for (Outcome o : Outcome.values()) {
            if (!outcomes.containsKey(o) && !props.containsKey(OUTCOME_PREFIX + o.name())) {
                diagnostics.add(Diagnostic.of(Diagnostic.Kind.STRUCTURE, display, null,
                        "no text for outcome " + o.name() + " (add " + OUTCOME_PREFIX + o.name() + "=...)"));
            }
        }
        for (AdviceKey a : AdviceKey.values()) {
            if (!advice.containsKey(a) && !props.containsKey(ADVICE_PREFIX + a.name())) {
                diagnostics.add(Diagnostic.of(Diagnostic.Kind.STRUCTURE, display, null,
                        "no text for advice key " + a.name() + " (add " + ADVICE_PREFIX + a.name() + "=...)"));
            }
        }
        for (Symptom sy : Symptom.values()) {
            if (!symptoms.containsKey(sy) && !props.containsKey(SYMPTOM_PREFIX + sy.name())) {
                diagnostics.add(Diagnostic.of(Diagnostic.Kind.STRUCTURE, display, null,
                        "no question text for symptom " + sy.name() + " (add " + SYMPTOM_PREFIX + sy.name()
                                + "=..., the question a booking system asks the patient)"));
            }
        }
        return new Vocabulary(outcomes, advice, symptoms, summaries);
    }

    private static <K> void putText(Map<K, String> map, K key, String text, String propertyKey, RuleSetSource source,
                                    String file, List<Diagnostic> diagnostics) {
        if (text.isEmpty()) {
            diagnostics.add(Diagnostic.of(Diagnostic.Kind.STRUCTURE, source.displayPath(file),
                    source.lineOf(file, propertyKey + "="), "the text of '" + propertyKey + "' is empty"));
        } else {
            map.put(key, text);
        }
    }

    static <E extends Enum<E>> E enumOrNull(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }
}
