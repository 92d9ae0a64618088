package org.massagetriage.cdshooks;

import java.util.List;
import java.util.UUID;

import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Citation;
import org.massagetriage.facts.Fact;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.RuleConclusion;
import org.massagetriage.rules.Evaluation;
import org.massagetriage.rules.Vocabulary;
import org.massagetriage.triage.Decision;

/**
 * Turns a recorded decision into the card a clinic's EHR shows while the patient's next massage is
 * being booked. Every word comes from the rule set that decided: the summary and texts from its
 * vocabulary, the reasons and their citations from its rules, the questions from the check-in's facts.
 */
final class CardBuilder {

    static final String TOPIC_SYSTEM = "urn:massage-triage:cds-topic";
    static final Card.Coding TOPIC = new Card.Coding(TOPIC_SYSTEM, "post-massage-soreness", "Soreness after a massage");
    static final String NO_CHECK_IN_SUMMARY = "Post-massage check-in: no recent check-in on file";

    private CardBuilder() {
    }

    /** info for self-care, warning for contacting the therapist, critical for seeing someone today or now. */
    static String indicator(Outcome outcome) {
        return switch (outcome) {
            case SELF_CARE -> "info";
            case CONTACT_THERAPIST -> "warning";
            case URGENT_ASSESSMENT, EMERGENCY -> "critical";
        };
    }

    /**
     * @param language the vocabulary to write in (one the deciding rule set has)
     * @param baseUrl  this service's public base URL, for the links to the workbench
     */
    static Card decided(Decision d, String language, String baseUrl, List<Card.Coding> overrideReasons, String checkInNote) {
        Evaluation e = d.evaluation();
        Vocabulary texts = d.texts().get(language);
        return new Card(d.id().toString(), texts.summary(e.outcome()),
                "_" + escape(checkInNote) + "_\n\n" + detail(e, texts, d.rulesetVersion()),
                indicator(e.outcome()), source(d.rulesetVersion(), baseUrl), overrideReasons,
                List.of(new Card.Link("This decision in the triage workbench (auditor sign-in)",
                        baseUrl + "/workbench/#lookup=" + d.id(), "absolute")));
    }

    /** No check-in to decide on: said plainly, with what to do; not an error, and no decision is made. */
    static Card noCheckIn(String why, String baseUrl, String rulesetVersion) {
        String detail = escape(why) + "\n\nAsk the patient how they feel since their last massage before booking,"
                + " or ask them to complete the post-massage check-in.";
        return new Card(UUID.randomUUID().toString(), NO_CHECK_IN_SUMMARY, detail, "info",
                source(rulesetVersion, baseUrl), null, null);
    }

    private static Card.Source source(String rulesetVersion, String baseUrl) {
        String label = rulesetVersion == null ? "Post-massage soreness triage"
                : "Post-massage soreness triage, rules " + rulesetVersion;
        // The clinicians' page, where the rules, their sources and their history can be read.
        return new Card.Source(label, baseUrl + "/workbench/", TOPIC);
    }

    /** GitHub-flavoured Markdown: what the patient was told, why (with sources), and what was not asked. */
    static String detail(Evaluation e, Vocabulary texts, String rulesetVersion) {
        StringBuilder md = new StringBuilder();
        md.append("**").append(escape(texts.outcomes().get(e.outcome()))).append("**\n");
        if (!e.advice().isEmpty()) {
            md.append("\n**Advice for the patient**\n\n");
            for (AdviceKey a : e.advice()) {
                md.append("- ").append(escape(texts.advice().get(a))).append('\n');
            }
        }
        md.append("\n**Why** (rules ").append(escape(rulesetVersion)).append(")\n\n");
        for (RuleConclusion r : e.reasons()) {
            md.append("- ").append(escape(r.ruleName())); // the name starts with the rule's id
            if (r.source() != null) {
                md.append(". Source: ").append(escape(r.source()));
            }
            for (Citation c : r.citations()) {
                md.append(c.url() == null ? "; " + escape(c.title()) : "; [" + escape(c.title()) + "](" + linkTarget(c.url()) + ")");
            }
            md.append('\n');
        }
        if (!e.missingFacts().isEmpty()) {
            md.append("\n**Not answered: ask the patient**\n\n");
            for (String missing : e.missingFacts()) {
                md.append("- ").append(escape(question(missing))).append('\n');
            }
        }
        return md.toString();
    }

    /** The fact's description as a prompt; for a history flag, the flag's (its first clause: the rest is for developers). */
    static String question(String missingFact) {
        String description = null;
        if (missingFact.startsWith("history.")) {
            Fact.HistoryFlag flag = Fact.HistoryFlag.named(missingFact.substring("history.".length()));
            description = flag == null ? null : flag.description();
        } else {
            Fact fact = Fact.named(missingFact);
            description = fact == null ? null : fact.description();
        }
        if (description == null) {
            return missingFact;
        }
        int clause = description.indexOf(';');
        return clause < 0 ? description : description.substring(0, clause);
    }

    /**
     * Every mark that Markdown reads as formatting inside a line is escaped (emphasis, code, links,
     * HTML, tables, strike-through), so a text is shown as written; marks that only count at the start
     * of a line ({@code #}, {@code -}, {@code 1.}) never stand there, as every text follows a bullet or
     * the bold mark. CommonMark lets any ASCII punctuation be backslash-escaped.
     */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ("\\`*_[]<>|~".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c == '\n' || c == '\r' ? ' ' : c);
        }
        return out.toString();
    }

    /** A link target cannot hold spaces or unbalanced brackets; those are percent-encoded. */
    private static String linkTarget(String url) {
        return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E");
    }
}
