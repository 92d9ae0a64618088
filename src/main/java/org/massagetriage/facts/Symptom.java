package org.massagetriage.facts;

/** Symptoms a patient may report after a massage, as the rules see them. */
public enum Symptom {
    SWELLING, BRUISING, NUMBNESS, TINGLING, WEAKNESS, DIZZINESS, FAINTING, DIFFICULTY_MOVING,
    BOWEL_OR_BLADDER_CHANGE, ANXIETY_OR_DISTRESS
}
