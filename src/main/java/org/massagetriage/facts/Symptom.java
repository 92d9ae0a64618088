package org.massagetriage.facts;

/**
 * Symptoms a patient may report after a massage, as the rules see them. Every value needs a
 * patient-facing question text ({@code symptom.<VALUE>} in the vocabulary file) so that every
 * booking system asks the same question. Values are only ever added: clients send them.
 */
public enum Symptom {
    SWELLING, BRUISING, NUMBNESS, TINGLING, WEAKNESS, DIZZINESS, FAINTING, DIFFICULTY_MOVING,
    BOWEL_OR_BLADDER_CHANGE, ANXIETY_OR_DISTRESS,
    // Clinical content 1.1: red flags massage is documented to cause (rules/sources.csv).
    CHEST_PAIN_OR_BREATHLESSNESS, COUGHING_BLOOD, ONE_LEG_PAIN_AND_SWELLING, SADDLE_NUMBNESS,
    DIFFICULTY_PASSING_URINE_OR_INCONTINENCE, LOSS_OF_BOWEL_CONTROL, SYMPTOMS_IN_BOTH_LEGS,
    SUDDEN_SEVERE_HEADACHE, VISION_OR_SPEECH_PROBLEM, ONE_SIDED_WEAKNESS_OR_NUMBNESS, DARK_URINE, FEVER,
    LARGE_OR_SPREADING_BRUISE
}
