package org.clusworker.cli.admin;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the admin API needs to serve the web status page: its files (HTML, CSS, JavaScript, shipped in
 * the jar under {@code org/clusworker/cli/admin/web/}), the session cookie, and the checks of a
 * browser's POST (the session's CSRF token in {@code X-CSRF-Token}, and an {@code Origin} that is this
 * API). Stateless apart from the files, read once.
 *
 * <p>The cookie's name carries the API's port: browsers keep cookies per host name, not per port, so
 * two hosts on one machine (both on 127.0.0.1) would otherwise log each other's page out.
 */
final class WebPage {

    static final String CSRF_HEADER = "X-CSRF-Token";

    /** A file of the page: its bytes and content type. */
    record Asset(byte[] bytes, String contentType) {
    }

    /** The page's HTML, scripts and styles: its only ones (no CDN, no inline script). */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/assets/app.js", "app.js",
            "/assets/app.css", "app.css");

    private final String cookieName;
    private final Set<String> origins;
    private final Map<String, Asset> assets;

    /** {@code hostHeaders}: the Host headers that name this API, e.g. {@code 127.0.0.1:41234}. */
    WebPage(int port, Set<String> hostHeaders) {
        this.cookieName = "clusworker_session_" + port;
        this.origins = Set.copyOf(hostHeaders.stream().map(h -> "http://" + h).toList());
        this.assets = Map.copyOf(FILES.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                Map.Entry::getKey, e -> load(e.getValue()))));
    }

    /** Whether {@code path} is one of the page's files (or its login). */
    static boolean isPagePath(String path) {
        return FILES.containsKey(path) || path.equals("/login");
    }

    Optional<Asset> asset(String path) {
        return Optional.ofNullable(assets.get(path));
    }

    String cookieName() {
        return cookieName;
    }

    /** The session cookie's value in the request, or null. */
    String sessionCookie(HttpExchange ex) {
        List<String> headers = ex.getRequestHeaders().get("Cookie");
        if (headers == null) {
            return null;
        }
        for (String header : headers) {
            for (String part : header.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).strip().equals(cookieName)) {
                    return part.substring(eq + 1).strip();
                }
            }
        }
        return null;
    }

    /** The {@code Set-Cookie} header of a new session (HttpOnly, SameSite=Strict, for the whole API). */
    String setCookie(WebSessions.Session s, long maxAgeSeconds) {
        return cookieName + "=" + s.id() + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + maxAgeSeconds;
    }

    /** The {@code Set-Cookie} header that removes the cookie. */
    String clearCookie() {
        return cookieName + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
    }

    /**
     * Why a request that changes something, made with a session cookie, is refused: null if it carries
     * the session's CSRF token and comes from this API's own page (its {@code Origin}, and its
     * {@code Sec-Fetch-Site} if sent).
     */
    String csrfProblem(HttpExchange ex, WebSessions.Session session) {
        List<String> origin = ex.getRequestHeaders().get("Origin");
        if (origin == null || origin.size() != 1 || !origins.contains(origin.get(0).toLowerCase(java.util.Locale.ROOT))) {
            return "the request's Origin " + (origin == null ? "is missing" : origin + " is not this API");
        }
        String site = ex.getRequestHeaders().getFirst("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin")) {
            return "the request is not from this API's page (Sec-Fetch-Site: " + site + ")";
        }
        if (!session.csrfMatches(ex.getRequestHeaders().getFirst(CSRF_HEADER))) {
            return "missing or wrong " + CSRF_HEADER + " header (the page gets it from GET /v1/session)";
        }
        return null;
    }

    /** The page a browser gets without a session: how to get one. */
    static Asset loginNeeded(String reason) {
        String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>clusworker: log in</title></head>"
                + "<body><h1>clusworker</h1><p>" + escape(reason) + "</p>"
                + "<p>Run <code>clusworker open</code> (with <code>--state-dir</code> or <code>--config</code> naming the host) "
                + "and open the address it prints: it carries a one-time login code, valid for a minute.</p></body></html>";
        return new Asset(html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static Asset load(String file) {
        String resource = "web/" + file;
        try (InputStream in = WebPage.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the web page's file " + resource + " is missing from the jar");
            }
            String type = file.endsWith(".html") ? "text/html; charset=utf-8"
                    : file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
            return new Asset(in.readAllBytes(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
