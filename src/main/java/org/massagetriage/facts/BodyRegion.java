package org.massagetriage.facts;

public enum BodyRegion {
    LOWER_BACK, UPPER_BACK, NECK, SHOULDERS, ARMS, LEGS, OTHER
}
