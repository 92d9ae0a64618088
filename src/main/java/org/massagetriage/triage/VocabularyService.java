package org.massagetriage.triage;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.massagetriage.rules.NoActiveRuleSetException;
import org.massagetriage.rules.RuleSet;
import org.massagetriage.rules.RuleSetRegistry;
import org.massagetriage.rules.Vocabulary;

/**
 * The texts of outcomes, advice and symptom questions of the active rule set, for clients to show,
 * in the language a client asks for among those the rules directory has.
 */
@ApplicationScoped
public class VocabularyService {

    private final RuleSetRegistry registry;

    public VocabularyService(RuleSetRegistry registry) {
        this.registry = registry;
    }

    /** The active rule set's texts in one language, and the version they belong to. */
    public record Texts(String rulesetVersion, String language, Vocabulary vocabulary) {
    }

    /** English. */
    public Texts vocabulary() {
        return vocabulary(List.of());
    }

    /** @param accepted the client's language preferences, best first (empty: English) */
    public Texts vocabulary(List<Locale.LanguageRange> accepted) {
        RuleSet rules = registry.active();
        if (rules == null) {
            throw new NoActiveRuleSetException();
        }
        String language = language(rules.vocabularies(), accepted);
        return new Texts(rules.version(), language, rules.vocabularies().get(language));
    }

    /**
     * The best of the available languages for the client's preferences (RFC 4647 lookup), English
     * when none matches: a client always gets texts, and the answer names their language.
     */
    public static String language(Map<String, Vocabulary> available, List<Locale.LanguageRange> accepted) {
        String best = accepted.isEmpty() ? null : Locale.lookupTag(accepted, available.keySet());
        // The lookup may answer the tag in another case than the file names it.
        return best == null ? Vocabulary.DEFAULT_LANGUAGE : available.keySet().stream().filter(best::equalsIgnoreCase)
                .findFirst().orElse(Vocabulary.DEFAULT_LANGUAGE);
    }
}
