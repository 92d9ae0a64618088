package org.massagetriage.facts;

public enum Trend {
    IMPROVING, UNCHANGED, WORSENING
}
