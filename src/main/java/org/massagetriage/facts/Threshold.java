package org.massagetriage.facts;

/**
 * A number a clinician tunes, from {@code rules/thresholds.properties}, inserted into every
 * decision so that rules read it by name: {@code Threshold( name == "severe-pain", $severe : value )}.
 */
public final class Threshold {
    private final String name;
    private final int value;

    public Threshold(String name, int value) {
        this.name = name;
        this.value = value;
    }

    public String getName() {
        return name;
    }

    public int getValue() {
        return value;
    }
}
