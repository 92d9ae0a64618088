package org.massagetriage.facts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The one description of the facts a booking system may report, in request order: the name (the
 * request's JSON field and the scenario tables' column), the kind of value and its range or values,
 * and how it is read from and written to a {@link Presentation}. The strict request reader, the
 * scenario tables, the safety checks, the missing-facts check of {@code @missing} and the OpenAPI
 * schema all derive from it, so a new symptom is one constant in {@link Symptom}, a new history flag
 * one constant in {@link HistoryFlag} (and its field on {@link Presentation}, which the rules read).
 */
public enum Fact {

    HOURS_SINCE_MASSAGE("hoursSinceMassage", Kind.WHOLE_NUMBER, null, 0, 8760, "Hours since the massage ended",
            Presentation::getHoursSinceMassage, (b, v) -> b.hoursSinceMassage((Integer) v)),
    PAIN_CHARACTER("painCharacter", Kind.ONE_OF, PainCharacter.class, 0, 0, "How the pain feels",
            Presentation::getPainCharacter, (b, v) -> b.painCharacter((PainCharacter) v)),
    PAIN_SEVERITY("painSeverity", Kind.WHOLE_NUMBER, null, 0, 10,
            "Numeric rating scale: 0 no pain, 10 worst imaginable",
            Presentation::getPainSeverity, (b, v) -> b.painSeverity((Integer) v)),
    TREND("trend", Kind.ONE_OF, Trend.class, 0, 0, "How the soreness is changing",
            Presentation::getTrend, (b, v) -> b.trend((Trend) v)),
    SYMPTOMS("symptoms", Kind.SET_OF, Symptom.class, 0, 0,
            "Symptoms besides soreness; [] means none of these, each at most once",
            Presentation::getSymptoms, Fact::setSymptoms),
    BODY_REGION("bodyRegion", Kind.ONE_OF, BodyRegion.class, 0, 0, "Where it is sore",
            Presentation::getBodyRegion, (b, v) -> b.bodyRegion((BodyRegion) v)),
    /** A group of yes/no flags, each optional: {@link HistoryFlag}. */
    HISTORY("history", Kind.FLAGS, null, 0, 0, "Relevant history; each flag optional", p -> null, (b, v) -> { });

    /** What kind of value a fact takes. */
    public enum Kind {
        /** An integer from {@link #min()} to {@link #max()}. */
        WHOLE_NUMBER,
        /** One constant of {@link #constants()}. */
        ONE_OF,
        /** A set of constants of {@link #constants()}; empty means "none of these". */
        SET_OF,
        /** Yes/no flags ({@link HistoryFlag}), each optional. */
        FLAGS
    }

    /** The request's top-level field names, in request order. */
    public static final List<String> NAMES = Arrays.stream(values()).map(Fact::factName).toList();

    /**
     * The names a missing-fact rule may report, in request order: every top-level field, then each
     * history flag written with its path ({@code history.takesAnticoagulant}) right after {@code history}.
     */
    public static final List<String> MISSING_NAMES = missingNames();

    private final String factName;
    private final Kind kind;
    private final Class<? extends Enum<?>> type;
    private final int min;
    private final int max;
    private final String description;
    private final Function<Presentation, Object> getter;
    private final BiConsumer<Presentation.Builder, Object> setter;

    @SuppressWarnings("unchecked")
    Fact(String factName, Kind kind, Class<?> type, int min, int max, String description,
         Function<Presentation, ?> getter, BiConsumer<Presentation.Builder, Object> setter) {
        this.factName = factName;
        this.kind = kind;
        this.type = (Class<? extends Enum<?>>) type;
        this.min = min;
        this.max = max;
        this.description = description;
        this.getter = (Function<Presentation, Object>) getter;
        this.setter = setter;
    }

    /** The request's field name, e.g. {@code hoursSinceMassage}. */
    public String factName() {
        return factName;
    }

    public Kind kind() {
        return kind;
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    public String description() {
        return description;
    }

    /** The allowed constants of a ONE_OF or SET_OF fact, in declaration order; empty otherwise. */
    public List<Enum<?>> constants() {
        return type == null ? List.of() : List.of(type.getEnumConstants());
    }

    /** The constant of this fact's enum with {@code name}, or null. */
    public Enum<?> valueNamed(String name) {
        for (Enum<?> e : constants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The value in {@code p}: Integer, an enum constant, a Set of constants, or (FLAGS) null; null when not asked. */
    public Object get(Presentation p) {
        return getter.apply(p);
    }

    /** Sets the value; FLAGS are set one by one through {@link HistoryFlag#set}. */
    public void set(Presentation.Builder b, Object value) {
        setter.accept(b, value);
    }

    private static List<String> missingNames() {
        List<String> names = new ArrayList<>();
        for (Fact f : values()) {
            names.add(f.factName);
            if (f.kind == Kind.FLAGS) {
                for (HistoryFlag h : HistoryFlag.values()) {
                    names.add(f.factName + "." + h.flagName());
                }
            }
        }
        return List.copyOf(names);
    }

    public static Fact named(String factName) {
        for (Fact f : values()) {
            if (f.factName.equals(factName)) {
                return f;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static void setSymptoms(Presentation.Builder b, Object v) {
        b.symptoms((Set<Symptom>) v);
    }

    /** The flags of the {@link #HISTORY} fact, in request order; each is a Boolean field of {@link Presentation}. */
    public enum HistoryFlag {
        CHRONIC_LOW_BACK_PAIN("chronicLowBackPain", "Long-standing (chronic) low back pain",
                Presentation::getChronicLowBackPain, Presentation.Builder::chronicLowBackPain),
        RECENT_SURGERY("recentSurgery", "An operation in the last few months", Presentation::getRecentSurgery,
                Presentation.Builder::recentSurgery),
        PRE_EXISTING_CONDITION("preExistingCondition", "A medical condition the therapist should know about",
                Presentation::getPreExistingCondition, Presentation.Builder::preExistingCondition),
        TAKES_MEDICATION("takesMedication", "Takes any regular medicine", Presentation::getTakesMedication,
                Presentation.Builder::takesMedication),
        TAKES_ANTICOAGULANT("takesAnticoagulant",
                "Takes a blood thinner (anticoagulant) such as warfarin, apixaban, rivaroxaban, edoxaban or dabigatran;"
                        + " asked separately from takesMedication because it changes the answer for bruising and back pain",
                Presentation::getTakesAnticoagulant, Presentation.Builder::takesAnticoagulant);

        private final String flagName;
        private final String description;
        private final Function<Presentation, Boolean> getter;
        private final BiConsumer<Presentation.Builder, Boolean> setter;

        HistoryFlag(String flagName, String description, Function<Presentation, Boolean> getter,
                    BiConsumer<Presentation.Builder, Boolean> setter) {
            this.flagName = flagName;
            this.description = description;
            this.getter = getter;
            this.setter = setter;
        }

        /** The field name inside {@code history}, e.g. {@code recentSurgery}. */
        public String flagName() {
            return flagName;
        }

        /** What the flag means, for the API's schema. */
        public String description() {
            return description;
        }

        public Boolean get(Presentation p) {
            return getter.apply(p);
        }

        public void set(Presentation.Builder b, Boolean value) {
            setter.accept(b, value);
        }

        public static HistoryFlag named(String flagName) {
            for (HistoryFlag f : values()) {
                if (f.flagName.equals(flagName)) {
                    return f;
                }
            }
            return null;
        }

        public static List<String> names() {
            return Arrays.stream(values()).map(HistoryFlag::flagName).toList();
        }
    }

    /** A copy of {@code p} as a builder, to change one fact. */
    public static Presentation.Builder copyOf(Presentation p) {
        Presentation.Builder b = Presentation.builder();
        for (Fact f : values()) {
            if (f.kind != Kind.FLAGS) {
                f.set(b, f.get(p));
            }
        }
        for (HistoryFlag h : HistoryFlag.values()) {
            h.set(b, h.get(p));
        }
        return b;
    }

    /** These facts of {@code p} in the order given, for messages: {@code {hoursSinceMassage=24, ...}}. */
    public static String describe(Presentation p, List<Fact> facts) {
        StringBuilder sb = new StringBuilder("{");
        for (Fact f : facts) {
            if (f.kind == Kind.FLAGS) {
                for (HistoryFlag h : HistoryFlag.values()) {
                    sb.append(sb.length() == 1 ? "" : ", ").append(h.flagName).append('=').append(h.get(p));
                }
            } else {
                sb.append(sb.length() == 1 ? "" : ", ").append(f.factName).append('=').append(f.get(p));
            }
        }
        return sb.append('}').toString();
    }
}
