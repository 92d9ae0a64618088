package org.massagetriage.facts;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the patient reported, as the rules see it. Every field may be null, meaning "not asked":
 * rules must treat null as unknown, never as normal. {@code symptoms} is null when not asked and
 * empty when the patient reported none. History flags are flattened so that a rule can say
 * {@code Presentation( recentSurgery == true )} without null-safe navigation.
 */
public final class Presentation {

    private final Integer hoursSinceMassage;
    private final PainCharacter painCharacter;
    private final Integer painSeverity;
    private final Trend trend;
    private final Set<Symptom> symptoms;
    private final BodyRegion bodyRegion;
    private final Boolean chronicLowBackPain;
    private final Boolean recentSurgery;
    private final Boolean preExistingCondition;
    private final Boolean takesMedication;
    private final Boolean takesAnticoagulant;

    private Presentation(Builder b) {
        this.hoursSinceMassage = b.hoursSinceMassage;
        this.painCharacter = b.painCharacter;
        this.painSeverity = b.painSeverity;
        this.trend = b.trend;
        this.symptoms = b.symptoms == null ? null
                : Collections.unmodifiableSet(b.symptoms.isEmpty() ? EnumSet.noneOf(Symptom.class) : EnumSet.copyOf(b.symptoms));
        this.bodyRegion = b.bodyRegion;
        this.chronicLowBackPain = b.chronicLowBackPain;
        this.recentSurgery = b.recentSurgery;
        this.preExistingCondition = b.preExistingCondition;
        this.takesMedication = b.takesMedication;
        this.takesAnticoagulant = b.takesAnticoagulant;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Integer getHoursSinceMassage() {
        return hoursSinceMassage;
    }

    public PainCharacter getPainCharacter() {
        return painCharacter;
    }

    public Integer getPainSeverity() {
        return painSeverity;
    }

    public Trend getTrend() {
        return trend;
    }

    public Set<Symptom> getSymptoms() {
        return symptoms;
    }

    public BodyRegion getBodyRegion() {
        return bodyRegion;
    }

    public Boolean getChronicLowBackPain() {
        return chronicLowBackPain;
    }

    public Boolean getRecentSurgery() {
        return recentSurgery;
    }

    public Boolean getPreExistingCondition() {
        return preExistingCondition;
    }

    public Boolean getTakesMedication() {
        return takesMedication;
    }

    /** Blood thinners such as warfarin or apixaban; separate from {@link #getTakesMedication()}. */
    public Boolean getTakesAnticoagulant() {
        return takesAnticoagulant;
    }

    public static final class Builder {
        private Integer hoursSinceMassage;
        private PainCharacter painCharacter;
        private Integer painSeverity;
        private Trend trend;
        private Set<Symptom> symptoms;
        private BodyRegion bodyRegion;
        private Boolean chronicLowBackPain;
        private Boolean recentSurgery;
        private Boolean preExistingCondition;
        private Boolean takesMedication;
        private Boolean takesAnticoagulant;

        private Builder() {
        }

        public Builder hoursSinceMassage(Integer v) {
            hoursSinceMassage = v;
            return this;
        }

        public Builder painCharacter(PainCharacter v) {
            painCharacter = v;
            return this;
        }

        public Builder painSeverity(Integer v) {
            painSeverity = v;
            return this;
        }

        public Builder trend(Trend v) {
            trend = v;
            return this;
        }

        public Builder symptoms(Set<Symptom> v) {
            symptoms = v;
            return this;
        }

        public Builder bodyRegion(BodyRegion v) {
            bodyRegion = v;
            return this;
        }

        public Builder chronicLowBackPain(Boolean v) {
            chronicLowBackPain = v;
            return this;
        }

        public Builder recentSurgery(Boolean v) {
            recentSurgery = v;
            return this;
        }

        public Builder preExistingCondition(Boolean v) {
            preExistingCondition = v;
            return this;
        }

        public Builder takesMedication(Boolean v) {
            takesMedication = v;
            return this;
        }

        public Builder takesAnticoagulant(Boolean v) {
            takesAnticoagulant = v;
            return this;
        }

        public Presentation build() {
            return new Presentation(this);
        }
    }
}
