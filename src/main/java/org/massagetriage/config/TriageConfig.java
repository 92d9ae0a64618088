package org.massagetriage.config;

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
    }
}
