package org.massagetriage.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The token's subject names the caller in the decision record and in the per-decision log line, so
 * a signed token is not enough: its subject must be something a record and a log line can hold.
 */
@QuarkusTest
class SubjectClaimTests {

    static final String FAINTING = "{\"symptoms\": [\"FAINTING\"]}";

    static String tokenFor(String subject, String role) {
        Instant now = Instant.now();
        return "Bearer " + TestTokens.signed(TestTokens.withSubject(
                TestTokens.claims(TestTokens.ISSUER, TestTokens.AUDIENCE, List.of(role), now, now.plusSeconds(600)), subject));
    }

    /**
     * Refused with the same 401 as any token that fails verification, on every endpoint (here the
     * one that records the subject and one that does not), and never remembered by the token cache.
     */
    @Nested
    class Refused {

        @ParameterizedTest(name = "subject \"{0}\"")
        @ValueSource(strings = {"", " ", " \t ", "\u00a0", "\u3000", "client\nforged", "client\r\nforged", "client\u0000",
                "\u0000", "client\u007f", "client\u0085", "client\u001b[31m", "client\tname", "client\u2028forged",
                "client\u2029forged"})
        void shouldRefuseASubjectThatCannotNameACallerWith401(String subject) {
            List<String> decisionLines = capture("org.massagetriage.decisions");
            try {
                String header = tokenFor(subject, Roles.TRIAGE_CLIENT);
                for (int attempt = 0; attempt < 2; attempt++) {
                    given().header("Authorization", header).contentType(ContentType.JSON).body(FAINTING)
                            .post("/api/v1/triage").then().statusCode(401)
                            .contentType("application/problem+json")
                            .header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                            .body("type", equalTo("about:blank"))
                            .body("title", equalTo("Unauthorized"))
                            .body("status", equalTo(401))
                            .body("detail", equalTo("The bearer token is not valid for this service (signature, issuer, audience or expiry)."))
                            .body("errors", empty());
                }
                given().header("Authorization", tokenFor(subject, Roles.AUDITOR)).get("/api/v1/vocabulary").then()
                        .statusCode(401).contentType("application/problem+json")
                        .header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                        .body("status", equalTo(401));
                assertEquals(List.of(), decisionLines);
            } finally {
                release();
            }
        }
    }

    @Nested
    class Accepted {

        /** Letters beyond ASCII and inner spaces are names, not control characters. */
        @Test
        void shouldRecordAnInternationalSubjectExactly() {
            String subject = "Clínica Zürich – booking 東京";
            String id = given().header("Authorization", tokenFor(subject, Roles.TRIAGE_CLIENT)).contentType(ContentType.JSON)
                    .body(FAINTING).post("/api/v1/triage").then().statusCode(200).extract().path("decisionId");
            TestTokens.asAuditor().get("/api/v1/decisions/" + id).then().statusCode(200)
                    .body("client.subject", equalTo(subject))
                    .body("client.issuer", equalTo(TestTokens.ISSUER));
        }
    }

    private Logger captured;
    private Handler handler;

    private List<String> capture(String category) {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(String.valueOf(record.getMessage()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        captured = Logger.getLogger(category);
        captured.addHandler(handler);
        return lines;
    }

    private void release() {
        captured.removeHandler(handler);
    }
}
