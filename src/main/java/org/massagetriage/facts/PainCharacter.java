package org.massagetriage.facts;

public enum PainCharacter {
    DULL_ACHE, STIFFNESS, SHARP
}
