package org.massagetriage.facts;

/**
 * Every advice key a rule may conclude. The names are the public contract; their plain-English texts
 * live with the rules (rules/vocabulary.en.properties) so that clinicians own the wording.
 */
public enum AdviceKey {
    HYDRATE,
    APPLY_GENTLE_HEAT,
    EPSOM_SALT_BATH,
    GENTLE_STRETCHING,
    LIGHT_MOVEMENT,
    AVOID_STRENUOUS_ACTIVITY,
    FOAM_ROLLING,
    ANTI_INFLAMMATORY_FOODS,
    ASK_BEFORE_PAIN_RELIEVERS,
    EXPECT_RESOLUTION_IN_1_TO_3_DAYS,
    CONTACT_THERAPIST_PROMPTLY,
    KEEP_SORENESS_JOURNAL,
    SEEK_URGENT_ASSESSMENT,
    REPORT_ALL_SYMPTOMS,
    SEEK_MEDICAL_ATTENTION_IMMEDIATELY,
    DISCUSS_FEELINGS_WITH_THERAPIST,
    INFORM_THERAPIST_OF_HISTORY,
    CONSIDER_PHYSIOTHERAPY,
    MASSAGE_AS_PART_OF_BROADER_PLAN,
    // Clinical content 1.1
    SEEK_HELP_IF_NOT_SETTLING,
    WATCH_FOR_CAUDA_EQUINA_SIGNS,
    ANSWER_MISSING_QUESTIONS
}
