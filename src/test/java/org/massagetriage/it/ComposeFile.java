package org.massagetriage.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

/**
 * A compose file read as compose reads it: YAML, every string value interpolated from the
 * variables (the project's {@code .env} and the environment), relative bind-mount sources resolved
 * against the file's directory. Only what the compose IT uses is exposed.
 */
final class ComposeFile {

    final Path directory;
    private final Map<String, Object> services;

    private ComposeFile(Path directory, Map<String, Object> services) {
        this.directory = directory;
        this.services = services;
    }

    /**
     * Reads {@code yaml} (the content of a compose file in {@code directory}); throws
     * {@link ComposeInterpolation.MissingRequiredVariable} where compose would refuse the file.
     */
    static ComposeFile read(String yaml, Path directory, Map<String, String> variables) {
        Map<String, Object> root = map(new Yaml().load(yaml), "the compose file");
        ComposeInterpolation interpolation = new ComposeInterpolation(variables);
        Map<String, Object> interpolated = map(interpolate(root, interpolation), "the compose file");
        // compose only warns and puts in "": a setting that silently became empty would pass unseen.
        if (!interpolation.unsetWithoutDefault().isEmpty()) {
            throw new AssertionError("docker-compose.yml uses variables without a default that are not set (compose would"
                    + " substitute \"\"): " + interpolation.unsetWithoutDefault());
        }
        return new ComposeFile(directory.toAbsolutePath().normalize(), map(interpolated.get("services"), "services"));
    }

    Service service(String name) {
        return new Service(name, map(services.get(name), "service " + name));
    }

    final class Service {
        final String name;
        final Map<String, Object> definition;

        Service(String name, Map<String, Object> definition) {
            this.name = name;
            this.definition = definition;
        }

        /** The {@code environment} block, map or list form, in file order; a list entry without '=' is taken from the variables by compose and is not used here. */
        Map<String, String> environment() {
            Object env = definition.get("environment");
            Map<String, String> out = new LinkedHashMap<>();
            if (env instanceof Map<?, ?> m) {
                m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
            } else if (env instanceof List<?> l) {
                for (Object entry : l) {
                    String s = String.valueOf(entry);
                    int eq = s.indexOf('=');
                    if (eq < 0) {
                        throw new IllegalArgumentException(name + ": environment entry without a value: " + s);
                    }
                    out.put(s.substring(0, eq), s.substring(eq + 1));
                }
            }
            return out;
        }

        /** Short-syntax bind mounts ({@code source:target[:mode]}), the source resolved against the compose file's directory. */
        Map<String, Path> bindMounts() {
            Map<String, Path> out = new LinkedHashMap<>();
            for (Object v : list(definition.getOrDefault("volumes", List.of()))) {
                String[] parts = String.valueOf(v).split(":");
                if (parts[0].startsWith(".") || parts[0].startsWith("/")) {
                    out.put(parts[1], directory.resolve(parts[0]).normalize());
                }
            }
            return out;
        }

        /** Container ports published, from the short syntax {@code "host:container"}. */
        List<Integer> containerPorts() {
            List<Integer> out = new ArrayList<>();
            for (Object p : list(definition.getOrDefault("ports", List.of()))) {
                String s = String.valueOf(p);
                out.add(Integer.parseInt(s.substring(s.lastIndexOf(':') + 1).replaceAll("/.*", "")));
            }
            return out;
        }

        Map<String, Object> healthcheck() {
            return map(definition.get("healthcheck"), name + ".healthcheck");
        }

        /** {@code mem_limit}, or {@code deploy.resources.limits.memory}, in bytes (compose's units: b, k, m, g, binary). */
        Optional<Long> memoryLimitBytes() {
            Object limit = definition.get("mem_limit");
            if (limit == null && definition.get("deploy") instanceof Map<?, ?> deploy
                    && deploy.get("resources") instanceof Map<?, ?> resources && resources.get("limits") instanceof Map<?, ?> limits) {
                limit = limits.get("memory");
            }
            return Optional.ofNullable(limit).map(l -> bytes(String.valueOf(l)));
        }
    }

    /** A compose duration such as {@code 10s}, {@code 1m30s}, {@code 500ms}. */
    static Duration duration(Object value) {
        Matcher m = Pattern.compile("(\\d+)(ms|us|h|m|s)").matcher(String.valueOf(value));
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                case "ms" -> Duration.ofMillis(n);
                default -> Duration.ofNanos(n * 1000);
            });
            end = m.end();
        }
        if (end == 0 || end != String.valueOf(value).length()) {
            throw new IllegalArgumentException("not a compose duration: " + value);
        }
        return d;
    }

    static long bytes(String value) {
        Matcher m = Pattern.compile("(?i)(\\d+)\\s*([bkmg]?)b?").matcher(value.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a compose byte value: " + value);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase()) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
    }

    private static Object interpolate(Object node, ComposeInterpolation interpolation) {
        if (node instanceof String s) {
            return interpolation.interpolate(s);
        }
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), interpolate(v, interpolation)));
            return out;
        }
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(interpolate(v, interpolation)));
            return out;
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String what) {
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException(what + " is not a mapping: " + o);
        }
        return (Map<String, Object>) o;
    }

    static List<?> list(Object o) {
        if (!(o instanceof List<?> l)) {
            throw new IllegalArgumentException("not a list: " + o);
        }
        return l;
    }
}
