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
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
    }

    void answer(int status, String body, long delayMillis) {
        this.status = status;
        this.body = body;
        this.delayMillis = delayMillis;
        seen.clear();
    }
}
