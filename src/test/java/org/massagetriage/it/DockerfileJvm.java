package org.massagetriage.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What {@code src/main/docker/Dockerfile.jvm} tells a container runtime: ENTRYPOINT and CMD
 * (exec form, JSON), ENV, WORKDIR, USER and the COPY lines that lay out {@code /deployments}. RUN
 * lines (the image's user) and the base image are not reproduced: the process runs on this
 * machine's JVM.
 */
final class DockerfileJvm {

    record Copy(String source, String destination) {
    }

    final List<String> entrypoint = new ArrayList<>();
    final List<String> cmd = new ArrayList<>();
    final Map<String, String> env = new LinkedHashMap<>();
    final List<Copy> copies = new ArrayList<>();
    String workdir = "/";
    Optional<String> user = Optional.empty();

    static DockerfileJvm read(Path dockerfile) throws IOException {
        DockerfileJvm d = new DockerfileJvm();
        ObjectMapper json = new ObjectMapper();
        for (String raw : joinContinuations(Files.readAllLines(dockerfile, StandardCharsets.UTF_8))) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            String instruction = parts[0].toUpperCase();
            String args = parts.length > 1 ? parts[1].strip() : "";
            switch (instruction) {
                case "ENTRYPOINT", "CMD" -> {
                    if (!args.startsWith("[")) {
                        throw new IllegalArgumentException(instruction + " in shell form: the test reads the exec form only: " + line);
                    }
                    List<String> argv = json.readValue(args, new TypeReference<List<String>>() { });
                    List<String> target = instruction.equals("ENTRYPOINT") ? d.entrypoint : d.cmd;
                    target.clear();
                    target.addAll(argv);
                }
                case "ENV" -> d.env.putAll(envPairs(args));
                case "WORKDIR" -> d.workdir = args.startsWith("/") ? args : d.workdir.replaceAll("/$", "") + "/" + args;
                case "USER" -> d.user = Optional.of(args);
                case "COPY" -> {
                    List<String> words = new ArrayList<>(List.of(args.split("\\s+")));
                    words.removeIf(w -> w.startsWith("--"));
                    if (words.size() != 2) {
                        throw new IllegalArgumentException("COPY with other than one source and one destination: " + line);
                    }
                    d.copies.add(new Copy(words.get(0), words.get(1)));
                }
                default -> {
                    // FROM, RUN, EXPOSE, LABEL...: nothing a process here can take from them.
                }
            }
        }
        return d;
    }

    /** The command the container runs: ENTRYPOINT followed by CMD, as Docker joins them. */
    List<String> command() {
        List<String> c = new ArrayList<>(entrypoint);
        c.addAll(cmd);
        return c;
    }

    /**
     * Lays out the container's filesystem under {@code root} as the COPY lines say, sources taken from
     * {@code context} (the build context, the repository): a directory source becomes a symbolic link
     * to the built one (85 MB of jars need not be copied), a file or glob is copied into the
     * destination directory. Destinations in {@code mountedOver} are skipped: a volume covers them.
     */
    void layOut(Path context, Path root, List<String> mountedOver) throws IOException {
        for (Copy copy : copies) {
            String destination = copy.destination().replaceAll("/$", "");
            if (mountedOver.contains(destination)) {
                continue;
            }
            Path target = root.resolve(destination.substring(1));
            String source = copy.source().replaceAll("/$", "");
            if (source.contains("*")) {
                int slash = source.lastIndexOf('/');
                Files.createDirectories(target);
                try (DirectoryStream<Path> matches = Files.newDirectoryStream(context.resolve(source.substring(0, slash)),
                        source.substring(slash + 1))) {
                    for (Path match : matches) {
                        Files.copy(match, target.resolve(match.getFileName().toString()));
                    }
                }
            } else if (Files.isDirectory(context.resolve(source))) {
                Files.createDirectories(target.getParent());
                Files.createSymbolicLink(target, context.resolve(source).toAbsolutePath());
            } else {
                Files.createDirectories(target.getParent());
                Files.copy(context.resolve(source), copy.destination().endsWith("/")
                        ? target.resolve(Path.of(source).getFileName().toString()) : target);
            }
        }
    }

    private static Map<String, String> envPairs(String args) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!args.contains("=")) { // legacy form: ENV KEY value
            String[] kv = args.split("\\s+", 2);
            out.put(kv[0], kv.length > 1 ? kv[1] : "");
            return out;
        }
        for (String pair : args.split("\\s+")) {
            int eq = pair.indexOf('=');
            String value = pair.substring(eq + 1);
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            out.put(pair.substring(0, eq), value);
        }
        return out;
    }

    private static List<String> joinContinuations(List<String> lines) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            if (line.strip().startsWith("#") && current.length() == 0) {
                out.add(line);
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
            } else {
                out.add(current.append(line).toString());
                current.setLength(0);
            }
        }
        return out;
    }
}
