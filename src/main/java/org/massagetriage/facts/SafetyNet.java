package org.massagetriage.facts;

/** Marker inserted by the safety-net rule: nothing confirmed normal soreness, so facts are missing. */
public final class SafetyNet {
}
