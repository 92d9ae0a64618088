package org.massagetriage.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;

/**
 * The build reads configuration too (outside any run: {@link ExecutionMode#UNSET}, as in this test)
 * and records the runtime values it sees into the application. Local mode must supply nothing
 * then, or a build made with TRIAGE_SECURITY_LOCAL=true would ship a jar that trusts the build
 * machine's local key without local mode (seen, and fixed, in this project).
 */
class LocalModeConfigSourceFactoryTests {

    @Test
    void shouldSupplyNothingAndMakeNoKeyDuringTheBuild() throws Exception {
        Path keys = Files.createTempDirectory("factory-").resolve("local-auth");
        Map<String, String> settings = Map.of("triage.security.local", "true",
                "triage.security.local-key-directory", keys.toString());
        ConfigSourceContext context = new ConfigSourceContext() {
            @Override
            public ConfigValue getValue(String name) {
                return ConfigValue.builder().withName(name).withValue(settings.get(name)).build();
            }

            @Override
            public Iterator<String> iterateNames() {
                return settings.keySet().iterator();
            }
        };
        assertEquals(ExecutionMode.UNSET, ExecutionMode.current());
        assertEquals(List.of(), toList(new LocalModeConfigSourceFactory().getConfigSources(context)));
        assertFalse(Files.exists(keys), "a key pair was generated at build time");
    }

    private static <T> List<T> toList(Iterable<T> items) {
        List<T> out = new java.util.ArrayList<>();
        items.forEach(out::add);
        return out;
    }
}
