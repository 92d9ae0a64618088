package org.massagetriage.it;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.massagetriage.config.TriageConfig;

import io.smallrye.config.ConfigMapping;

/**
 * The settings the service reads, as environment variable names: which variables a deployment may
 * set without one of them being a typo that the service silently ignores (an environment variable
 * that names no property is never reported by Quarkus, unlike an unknown key in a properties file).
 *
 * <p>The names come from two places: every property of the {@link ConfigMapping} interfaces in
 * {@code org.massagetriage.config}, derived by reflection with SmallRye Config's default kebab-case
 * naming (nested groups, {@code Optional} values and {@code Map} keys included); and the external
 * settings the service documents ({@link #DOCUMENTED_EXTERNAL}). A property maps to its variable by
 * the MicroProfile Config rule: every character other than a letter or digit becomes '_', then upper
 * case; a map key ({@code triage.cds.clients."<name>".issuer}) matches any name in its place.
 */
final class ServiceSettings {

    /** The typed configuration; a new {@code @ConfigMapping} interface is added here. */
    static final List<Class<?>> MAPPINGS = List.of(TriageConfig.class);

    /**
     * Settings of the libraries that the service's docs tell operators to set: docs/security.md's
     * token table and docs/configuration.md's Quarkus settings.
     */
    static final List<String> DOCUMENTED_EXTERNAL = List.of(
            "mp.jwt.verify.publickey.location", "mp.jwt.verify.publickey", "mp.jwt.verify.issuer", "mp.jwt.verify.audiences",
            "mp.jwt.verify.publickey.algorithm", "smallrye.jwt.path.groups",
            "quarkus.http.port", "quarkus.http.idle-timeout", "quarkus.log.console.json.enabled");

    private ServiceSettings() {
    }

    /** Every property name the service reads; a map key is written {@code *}. */
    static Set<String> propertyNames() {
        Set<String> names = new TreeSet<>(DOCUMENTED_EXTERNAL);
        for (Class<?> mapping : MAPPINGS) {
            collect(mapping, mapping.getAnnotation(ConfigMapping.class).prefix(), names);
        }
        return names;
    }

    /** The names in {@code variables} that set no property the service reads, in the order given. */
    static List<String> unread(Collection<String> variables) {
        List<Pattern> known = propertyNames().stream().map(ServiceSettings::variablePattern).toList();
        List<String> unread = new ArrayList<>();
        for (String variable : variables) {
            if (known.stream().noneMatch(p -> p.matcher(variable).matches())) {
                unread.add(variable);
            }
        }
        return unread;
    }

    static Pattern variablePattern(String property) {
        StringBuilder regex = new StringBuilder();
        for (String part : property.split("\\*", -1)) {
            if (regex.length() > 0 || property.startsWith("*")) {
                regex.append("[A-Z0-9_]+");
            }
            regex.append(Pattern.quote(part.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT)));
        }
        return Pattern.compile(regex.toString());
    }

    private static void collect(Class<?> group, String prefix, Set<String> names) {
        for (Method m : group.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.isDefault() || m.getParameterCount() != 0) {
                continue;
            }
            String name = prefix + "." + kebab(m.getName());
            Type type = m.getGenericReturnType();
            if (type instanceof ParameterizedType p && p.getRawType() == java.util.Optional.class) {
                type = p.getActualTypeArguments()[0];
            }
            if (type instanceof ParameterizedType p && p.getRawType() == java.util.Map.class) {
                name += ".*";
                type = p.getActualTypeArguments()[1];
            }
            if (type instanceof Class<?> c && isGroup(c)) {
                collect(c, name, names);
            } else {
                names.add(name);
            }
        }
    }

    /** A nested configuration group: an interface of the mapping's own package, not a value type. */
    private static boolean isGroup(Class<?> c) {
        return c.isInterface() && c.getName().startsWith(TriageConfig.class.getPackageName() + ".");
    }

    /** SmallRye Config's default naming: {@code pollInterval} is {@code poll-interval}. */
    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
