package org.massagetriage.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.massagetriage.facts.Citation;

/**
 * Every rule names a registered source, and the register itself is checked like a rule file: a
 * clinician who cites a source nobody registered, or registers one badly, is told where. Edits a
 * copy of the frozen fixture, whose register holds only the article.
 */
class SourceRegisterTests {

    private final RulesDirectory dir = RulesDirectory.copyOfFixture();

    @AfterEach
    void cleanUp() {
        dir.close();
    }

    private String file(String relative) {
        return dir.root() + "/" + relative;
    }

    @Test
    void shouldCarryTheCitationsOfEachRule() {
        dir.replace("contact-therapist.drl", "@source(\"[article] When to Contact Your Therapist: 'or is accompanied by severe pain",
                "@source(\"[article] When to Contact Your Therapist: 'or is accompanied by severe pain' [palos-2006] severe is 7 to 10; [article] again. 'x");
        dir.write("sources.csv", dir.read("sources.csv")
                + "palos-2006,STUDY,\"Palos G.R. et al., J Pain 2006;7(1):49-56\",,\n");
        RuleSetLoader.LoadResult result = dir.load();
        assertEquals(List.of(), result.diagnostics());
        RuleDescription ct02 = result.ruleSet().rules().stream().filter(r -> r.id().equals("CT-02")).findFirst().orElseThrow();
        assertEquals(List.of(
                new Citation("article", "One Body LDN (London), article on back soreness after massage", null, Citation.Strength.ARTICLE,
                        "The clinical source of the first rules."),
                new Citation("palos-2006", "Palos G.R. et al., J Pain 2006;7(1):49-56", null, Citation.Strength.STUDY, null)),
                ct02.citations(), "in the order named, each once");
        result.ruleSet().close();
    }

    @Test
    void shouldRejectAnUnregisteredSourceAtTheRule() {
        dir.replace("urgent-assessment.drl", "@id(\"UA-01\")\n    @source(\"[article] ", "@id(\"UA-01\")\n    @source(\"[nice-cks] ");
        List<Diagnostic> d = dir.load().diagnostics();
        assertEquals(List.of(new Diagnostic(Diagnostic.Kind.STRUCTURE, file("urgent-assessment.drl"), 12, null,
                "UA-01 Sharp pain -> urgent assessment", null,
                "@source cites [nice-cks], which is not in sources.csv; registered: article")), d);
    }

    @Test
    void shouldRejectASourceThatDoesNotStartWithARegisteredId() {
        dir.replace("urgent-assessment.drl", "@id(\"UA-01\")\n    @source(\"[article] Normal vs Concerning Soreness:",
                "@id(\"UA-01\")\n    @source(\"Normal vs Concerning Soreness [...]:");
        List<Diagnostic> d = dir.load().diagnostics();
        assertEquals(1, d.size(), d::toString);
        assertEquals("UA-01 Sharp pain -> urgent assessment", d.get(0).rule());
        assertEquals("@source must start with the id of a registered source in brackets, such as @source(\"[article] When"
                + " to Contact Your Therapist: '...'\"); the register is sources.csv", d.get(0).message(),
                "brackets around something that is not an id, such as [...], are part of the quote");
    }

    @Test
    void shouldRejectAMissingRegister() {
        dir.delete("sources.csv");
        List<Diagnostic> d = dir.load().diagnostics();
        assertTrue(d.contains(Diagnostic.of(Diagnostic.Kind.STRUCTURE, file("sources.csv"), null,
                "the source register is missing: every rule's @source names a source registered there")), d::toString);
    }

    @Test
    void shouldRejectABadRowAtItsLineAndKeepTheGoodOnes() {
        dir.write("sources.csv", """
                # comment
                id,strength,title,url,note
                article,ARTICLE,"The article, with a comma",,
                Article 2,GUIDANCE,,ftp://x,
                article,STUDY,Again,,
                short,STUDY
                """);
        List<Diagnostic> d = dir.load().diagnostics();
        assertEquals(List.of(
                Diagnostic.of(Diagnostic.Kind.STRUCTURE, file("sources.csv"), 4, "id 'Article 2' must be lower-case letters,"
                        + " digits and '-', such as nice-cks-sciatica; strength 'GUIDANCE' is not one of [NATIONAL_GUIDANCE,"
                        + " LOCAL_GUIDANCE, SYSTEMATIC_REVIEW, STUDY, CASE_REPORT, ARTICLE]; the title (full citation) is empty; url 'ftp://x'"
                        + " must start with https:// or http://, or be left empty"),
                Diagnostic.of(Diagnostic.Kind.STRUCTURE, file("sources.csv"), 5, "id 'article' is already registered at "
                        + file("sources.csv") + ":3"),
                Diagnostic.of(Diagnostic.Kind.STRUCTURE, file("sources.csv"), 6, "expected 5 cells (id,strength,title,url,note)"
                        + " but found 2; put a cell that contains a comma in double quotes")), d,
                "the first article row stays registered, so no rule is refused");
    }

    @Test
    void shouldRejectARegisterWithoutItsHeader() {
        dir.write("sources.csv", "article,ARTICLE,The article,,\n");
        List<Diagnostic> d = dir.load().diagnostics();
        assertTrue(d.contains(Diagnostic.of(Diagnostic.Kind.STRUCTURE, file("sources.csv"), 1,
                "the first line must name the columns id,strength,title,url,note")), d::toString);
    }

    @Test
    void shouldRejectASymptomWithoutAQuestionText() {
        String vocabulary = dir.read("vocabulary.en.properties");
        dir.write("vocabulary.en.properties", vocabulary.replaceAll("symptom\\.DARK_URINE=.*\n", "")
                + "symptom.DARK_URIN=Is your urine dark?\n");
        List<String> messages = dir.load().diagnostics().stream().map(Diagnostic::message).toList();
        assertEquals(List.of("unknown key 'symptom.DARK_URIN': expected outcome.<OUTCOME>, summary.<OUTCOME>, advice.<ADVICE_KEY> or symptom.<SYMPTOM>",
                "no question text for symptom DARK_URINE (add symptom.DARK_URINE=..., the question a booking system asks the patient)"),
                messages);
    }
}
