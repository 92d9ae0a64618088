package org.massagetriage.cdshooks;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;

import org.massagetriage.rules.RulesDirectory;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The app with one trusted CDS client, {@value #CLIENT}, whose EC P-384 key pair the tests hold, and
 * a FHIR stub to fetch check-ins from. Created before the app starts.
 */
public class CdsClientProfile implements QuarkusTestProfile {

    static final String CLIENT = "test-ehr";
    static final String ISSUER = "https://ehr.test.example";
    static final KeyPair KEYS = generate();
    static final FhirStub FHIR = new FhirStub();
    /** The frozen rules fixture, so that the exact card texts pinned here do not move with clinicians' edits of rules/. */
    static final RulesDirectory RULES = RulesDirectory.copyOfFixture();

    private static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp384r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(KEYS.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "triage.rules.directory", RULES.root().toString(),
                "triage.cds.clients." + CLIENT + ".issuer", ISSUER,
                "triage.cds.clients." + CLIENT + ".public-key", publicKeyPem(),
                "triage.cds.clients." + CLIENT + ".fhir-servers", FHIR.base(),
                "triage.cds.fhir-timeout", "1s");
    }
}
