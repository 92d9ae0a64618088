package org.massagetriage.api;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * Writes a reason from its JSON, encoded once per distinct reason. A reason is fixed per rule
 * (id, name, conclusions, the quoted source), and escaping and encoding its long source text again
 * for every answer was the largest part of writing a response (measured with JFR under wrk).
 */
public final class ReasonSerializer extends StdSerializer<TriageResponse.Reason> {

    /** Bounded: rule edits add reasons; a full cache is simply emptied and refilled. */
    private static final int MAX_CACHED = 4_096;
    private static final Map<TriageResponse.Reason, SerializedString> CACHE = new ConcurrentHashMap<>();
    private static final ObjectMapper PLAIN = new ObjectMapper();

    public ReasonSerializer() {
        super(TriageResponse.Reason.class);
    }

    @Override
    public void serialize(TriageResponse.Reason reason, JsonGenerator gen, SerializerProvider provider) throws IOException {
        SerializedString raw = CACHE.get(reason);
        if (raw == null) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("ruleId", reason.ruleId());
            fields.put("rule", reason.rule());
            fields.put("outcome", reason.outcome());
            fields.put("advice", reason.advice());
            fields.put("source", reason.source());
            fields.put("citations", reason.citations());
            raw = new SerializedString(PLAIN.writeValueAsString(fields));
            if (CACHE.size() >= MAX_CACHED) {
                CACHE.clear();
            }
            CACHE.put(reason, raw);
        }
        gen.writeRawValue(raw);
    }
}
