package org.massagetriage.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.massagetriage.security.Roles;
import org.massagetriage.security.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Connections that go quiet are closed after {@code quarkus.http.idle-timeout} (30 s in production,
 * 2 s here so the test is short), whether they never sent anything, stopped in the middle of the
 * headers, or stopped in the middle of a body: a caller cannot hold connections open by doing nothing.
 */
@QuarkusTest
@TestProfile(IdleTimeoutTests.TwoSecondIdleTimeout.class)
class IdleTimeoutTests {

    static final long TIMEOUT_MILLIS = 2_000;
    /** The server checks idleness on its event loop; on this busy two-core machine allow this much lateness. */
    static final long LATENESS_MILLIS = 3_000;

    public static class TwoSecondIdleTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.idle-timeout", "2s");
        }
    }

    @TestHTTPResource("/")
    URI server;

    record Closed(long afterMillis, String received) {
    }

    /** Sends {@code partial}, then nothing, and waits (bounded) for the server to close the connection. */
    Closed sendAndWaitForClose(String partial) throws IOException {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout((int) (TIMEOUT_MILLIS + LATENESS_MILLIS + 5_000));
            long start = System.nanoTime();
            socket.getOutputStream().write(partial.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                in.transferTo(received); // returns at end of stream: the server closed
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept the connection open past the bound; received: " + received, e);
            } catch (SocketException e) {
                // a reset is a close too
            }
            return new Closed((System.nanoTime() - start) / 1_000_000, received.toString(StandardCharsets.ISO_8859_1));
        }
    }

    static void assertClosedOnTime(Closed closed) {
        System.out.println("idle connection closed after " + closed.afterMillis() + " ms");
        assertTrue(closed.afterMillis() >= TIMEOUT_MILLIS - 200, () -> "closed before the idle timeout: " + closed);
        assertTrue(closed.afterMillis() <= TIMEOUT_MILLIS + LATENESS_MILLIS, () -> "closed too late: " + closed);
    }

    @Test
    void shouldCloseAConnectionThatSendsNothing() throws Exception {
        try (ErrorLogCapture log = ErrorLogCapture.open()) {
            Closed closed = sendAndWaitForClose("");
            assertClosedOnTime(closed);
            assertEquals("", closed.received());
            assertEquals(List.of(), log.errors());
        }
    }

    @Test
    void shouldCloseAConnectionThatStopsInTheHeaders() throws Exception {
        try (ErrorLogCapture log = ErrorLogCapture.open()) {
            Closed closed = sendAndWaitForClose("POST /api/v1/triage HTTP/1.1\r\nHost: localhost\r\nContent-Type: appl");
            assertClosedOnTime(closed);
            assertEquals("", closed.received());
            assertEquals(List.of(), log.errors());
        }
    }

    @Test
    void shouldCloseAConnectionThatStopsInTheBody() throws Exception {
        try (ErrorLogCapture log = ErrorLogCapture.open()) {
            Closed closed = sendAndWaitForClose("POST /api/v1/triage HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + TestTokens.bearer(Roles.TRIAGE_CLIENT) + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"sym");
            assertClosedOnTime(closed);
            assertEquals("", closed.received());
            assertEquals(List.of(), log.errors());
        }
    }
}
