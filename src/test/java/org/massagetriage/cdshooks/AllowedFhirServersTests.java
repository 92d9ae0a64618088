package org.massagetriage.cdshooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client's token goes only to a listed FHIR server: URL tricks that a server would resolve elsewhere are refused. */
class AllowedFhirServersTests {

    static final List<String> LISTED = List.of("https://ehr.example.org/fhir/tenantA", "https://other.example:8443/r4/");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "https://ehr.example.org/fhir/tenantA, true",
            "https://ehr.example.org/fhir/tenantA/, true",
            "https://EHR.example.org/fhir/tenantA/sub, true",
            "https://other.example:8443/r4, true",
            "https://ehr.example.org/fhir/tenantA/../tenantB, false",
            "https://ehr.example.org/fhir/tenantA/%2e%2e/tenantB, false",
            "https://ehr.example.org/fhir/tenantA/%2E%2E/tenantB, false",
            "https://ehr.example.org/fhir/tenantA/./x, false",
            "https://ehr.example.org/fhir/tenantA%2ftenantB, false",
            "https://ehr.example.org/fhir/tenantAdmin, false",
            "https://ehr.example.org/FHIR/tenantA, false",
            "http://ehr.example.org/fhir/tenantA, false",
            "https://ehr.example.org:444/fhir/tenantA, false",
            "https://other.example/r4, false",
            "https://ehr.example.org.evil.example/fhir/tenantA, false",
    })
    void shouldAllowOnlyListedServers(String server, boolean allowed) {
        assertEquals(allowed, CheckInLookup.allowed(URI.create(server), LISTED));
    }
}
