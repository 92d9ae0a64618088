package org.massagetriage.cdshooks;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * A small FHIR server for the tests: answers the check-in search with whatever the test set, after an
 * optional delay, and remembers each request's path, query and Authorization header.
 */
final class FhirStub {

    record Seen(String path, String query, String authorization) {
    }

    private final HttpServer server;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String body = "{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"entry\": []}";
    private volatile long delayMillis;
    private volatile boolean slowBody;

    FhirStub() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fhir-stub");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/fhir", exchange -> {
            seen.add(new Seen(exchange.getRequestURI().getPath(), exchange.getRequestURI().getQuery(),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            if (!slowBody) {
                pause();
                exchange.sendResponseHeaders(status, bytes.length);
            } else {
                exchange.sendResponseHeaders(status, 0); // chunked: headers now, the body after the pause
            }
            try (OutputStream out = exchange.getResponseBody()) {
                if (slowBody) {
                    out.write(bytes, 0, 1);
                    out.flush();
                    pause();
                    out.write(bytes, 1, bytes.length - 1);
                } else {
                    out.write(bytes);
                }
            } catch (IOException closedByTheService) {
                // the service stopped reading at its deadline
            }
        });
        server.start();
    }

    private void pause() {
        try {
            Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Headers at once, then the first byte, then the rest after {@code delayMillis}. */
    void answerSlowly(String body, long delayMillis) {
        answer(200, body, delayMillis);
        this.slowBody = true;
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
    }

    void answer(int status, String body, long delayMillis) {
        this.status = status;
        this.body = body;
        this.delayMillis = delayMillis;
        this.slowBody = false;
        seen.clear();
    }
}
