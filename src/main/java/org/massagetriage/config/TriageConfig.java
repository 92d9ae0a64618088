package org.massagetriage.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed configuration of the service; every setting is listed in the README's configuration table. */
@ConfigMapping(prefix = "triage")
public interface TriageConfig {

    Rules rules();

    interface Rules {
        /** Directory holding the DRL files, vocabulary and scenario tables; relative to the working directory. */
        @WithDefault("rules")
        String directory();

        /** Watch the directory and reload on change; off means reload only on POST /api/v1/rules/reload. */
        @WithDefault("true")
        boolean watch();

        /** Quiet time after the last file change before a reload starts, so a multi-file save is read whole. */
        @WithDefault("300ms")
        Duration debounce();

        /**
         * How often the directory is also checked without file events: events do not arrive from some
         * bind-mounted volumes, so polling is the fallback that always works.
         */
        @WithDefault("1s")
        Duration pollInterval();
    }
}
