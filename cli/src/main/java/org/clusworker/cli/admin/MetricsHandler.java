package org.clusworker.cli.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: the host's meters in the Prometheus text format (version 0.0.4), with the same
 * guards as the rest of the API, in the same order: a {@code Host} header that names the API (else
 * 403, against DNS rebinding), then the {@link Authentication} (the bearer token, possibly OR-ed with
 * others; else 401). Nothing is rendered for a request that fails either.
 *
 * <p>Thread-safe: the scrape is the registry's, which is thread-safe.
 */
final class MetricsHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsHandler.class);
    static final String PATH = "/metrics";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<String> scrape;
    private final Authentication authentication;
    private final Set<String> hostHeaders;

    /** {@code url}: the API's own address, e.g. {@code http://127.0.0.1:41234/}. */
    MetricsHandler(Supplier<String> scrape, Authentication authentication, URI url) {
        this.scrape = scrape;
        this.authentication = authentication;
        int port = url.getPort();
        this.hostHeaders = Set.copyOf(List.of(url.getAuthority().toLowerCase(Locale.ROOT), "127.0.0.1:" + port,
                "localhost:" + port, "[::1]:" + port));
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            List<String> host = ex.getRequestHeaders().get("Host");
            if (host == null || host.size() != 1 || !hostHeaders.contains(host.get(0).toLowerCase(Locale.ROOT))) {
                send(ex, 403, "the Host header does not name this API\n");
                return;
            }
            if (!authentication.admits(ex)) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"clusworker\"");
                send(ex, 401, "missing or wrong token (send 'Authorization: Bearer TOKEN'; the token is in admin.json"
                        + " in the host's state directory)\n");
                return;
            }
            if (!ex.getRequestURI().getRawPath().equals(PATH)) {
                send(ex, 404, "no such endpoint: " + ex.getRequestURI().getRawPath() + " (expected: GET /metrics)\n");
                return;
            }
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "method not allowed (expected: GET)\n");
                return;
            }
            String text;
            try {
                text = scrape.get();
            } catch (RuntimeException e) {
                LOG.warn("admin API: rendering the metrics failed", e);
                send(ex, 500, "internal error: " + e + "\n");
                return;
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            if (method.equals("HEAD")) {
                ex.sendResponseHeaders(200, -1);
            } else {
                ex.sendResponseHeaders(200, bytes.length);
                ex.getResponseBody().write(bytes);
            }
        }
    }

    private static void send(HttpExchange ex, int status, String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }
}
