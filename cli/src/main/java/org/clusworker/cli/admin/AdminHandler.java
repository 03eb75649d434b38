package org.clusworker.cli.admin;

import org.clusworker.host.config.Names;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clusworker.host.UnknownResourceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's one handler: authenticates, routes, answers JSON. A request must name this API in
 * its {@code Host} header (its own address, {@code 127.0.0.1:PORT}, {@code localhost:PORT} or
 * {@code [::1]:PORT}), so that a web page on a name that resolves to 127.0.0.1 cannot reach it (DNS
 * rebinding): otherwise 403. It must carry {@code Authorization: Bearer TOKEN}; without it (or with
 * another token) the answer is 401. In both cases nothing else is looked at. Requests that change
 * something are POSTs; a malformed request or an unknown resource changes nothing.
 *
 * <table>
 * <caption>Endpoints</caption>
 * <tr><td>GET  /v1/resources</td><td>200 {@code {"host": NAME, "resources": [STATUS...]}}</td></tr>
 * <tr><td>GET  /v1/resources/NAME</td><td>200 STATUS, 404 if unknown</td></tr>
 * <tr><td>POST /v1/resources/NAME/online</td><td>202 {@code {"resource": NAME, "requested": "online"}}</td></tr>
 * <tr><td>POST /v1/resources/NAME/offline</td><td>202 likewise</td></tr>
 * <tr><td>GET  /v1/events</td><td>200 {@code text/event-stream}: every {@link org.clusworker.host.HostEvent}
 *     ({@link SseFrames}); resumes after {@code Last-Event-ID: N} or {@code ?lastEventId=N} ({@link EventBroker})</td></tr>
 * <tr><td>POST /v1/login-codes</td><td>201 {@code {"code": CODE, "url": ".../login?code=CODE", "expiresInSeconds": 60}}:
 *     a one-time login code for the web page (Bearer token only)</td></tr>
 * <tr><td>GET  /login?code=CODE</td><td>303 to {@code /} with the session cookie; 403 if the code is unknown,
 *     expired or used (needs no token: the code is the proof)</td></tr>
 * <tr><td>GET  /, /assets/app.js, /assets/app.css</td><td>the web status page</td></tr>
 * <tr><td>GET  /v1/session</td><td>200 {@code {"host": NAME, "csrf": TOKEN, "expires": TIME}} (session only)</td></tr>
 * <tr><td>POST /logout</td><td>204, ends the session (session only)</td></tr>
 * </table>
 *
 * <p><b>The web page's sessions</b> ({@link WebSessions}, {@link WebPage}): instead of the token, a
 * request may carry the session cookie that {@code GET /login} set. The Host check is the same; a POST
 * with a session must also carry the session's CSRF token in {@code X-CSRF-Token} and an {@code Origin}
 * that is this API, else 403 and nothing changes. Without a token or a live session every path but
 * {@code /login} is 401 (the page's paths answer a short HTML page saying how to log in).
 *
 * <p>Thread-safe: stateless apart from its collaborators (the host's methods and the broker never
 * block). An event stream holds its request's thread (a virtual thread) until it ends.
 */
final class AdminHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    private static final Pattern RESOURCE = Pattern.compile("/v1/resources/([^/]+)");
    private static final Pattern ACTION = Pattern.compile("/v1/resources/([^/]+)/([^/]+)");
    private static final Pattern LAST_EVENT_ID = Pattern.compile("\\d{1,18}");
    private static final int MAX_BODY = 64 * 1024;

    private final HostControl host;
    private final byte[] token;
    private final Set<String> hostHeaders;
    private final ObjectMapper json;
    private final EventBroker events;
    private final URI url;
    private final WebSessions sessions;
    private final WebPage web;

    /** {@code url}: the API's own address, e.g. {@code http://127.0.0.1:41234/}. */
    AdminHandler(HostControl host, EventBroker events, String token, URI url, ObjectMapper json) {
        this(host, events, token, url, json, new WebSessions(WebSessions.Settings.DEFAULTS, java.time.Clock.systemUTC()));
    }

    /** As above, with the web page's sessions (for tests). */
    AdminHandler(HostControl host, EventBroker events, String token, URI url, ObjectMapper json, WebSessions sessions) {
        this.host = host;
        this.url = url;
        this.sessions = sessions;
        this.events = events;
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        int port = url.getPort();
        this.hostHeaders = Set.copyOf(List.of(url.getAuthority().toLowerCase(Locale.ROOT),
                "127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port));
        this.json = json;
        this.web = new WebPage(port, hostHeaders);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Reply reply;
            try {
                reply = route(exchange);
            } catch (RuntimeException e) {
                LOG.warn("admin API: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                reply = Reply.error(500, "internal error: " + e);
            }
            if (reply.events() != null) {
                EventsResponse.write(exchange, reply.events(), events.settings().keepAlive());
            } else {
                send(exchange, reply);
            }
        }
    }

    /** A JSON answer, or (with {@code events}) an event stream, subscribed before its headers are sent. */
    private record Reply(int status, Object body, Map<String, String> headers, EventSubscription events) {
        Reply(int status, Object body, Map<String, String> headers) {
            this(status, body, headers, null);
        }

        static Reply ok(int status, Object body) {
            return new Reply(status, body, Map.of());
        }

        static Reply error(int status, String message) {
            return new Reply(status, Map.of("error", message), Map.of());
        }
    }

    private static final Pattern GROUP_MOVE = Pattern.compile("/v1/cluster/groups/([^/]+)/move");

    /**
     * {@code GET /v1/cluster}: the cluster's nodes and groups (404 if this host is no cluster node);
     * {@code POST /v1/cluster/groups/NAME/move} with an optional body {@code {"to": NODE}}: a planned move (202).
     */
    private Reply cluster(HttpExchange ex, String method, String path) throws IOException {
        java.util.Optional<HostControl.ClusterView> view = host.cluster();
        if (view.isEmpty()) {
            return Reply.error(404, "host " + host.hostName() + " is not a node of a cluster (or has not joined one yet)");
        }
        try {
            if (path.equals("/v1/cluster")) {
                return method.equals("GET") ? Reply.ok(200, view.get().status()) : methodNotAllowed("GET");
            }
            Matcher move = GROUP_MOVE.matcher(path);
            if (!move.matches()) {
                return Reply.error(404, "no such endpoint: " + method + " " + path
                        + " (expected: GET /v1/cluster, POST /v1/cluster/groups/NAME/move)");
            }
            if (!method.equals("POST")) {
                return methodNotAllowed("POST");
            }
            String group = move.group(1);
            if (!Names.isValid(group)) {
                return Reply.error(400, "malformed group name '" + group + "'");
            }
            byte[] body = ex.getRequestBody().readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                return Reply.error(413, "request body larger than " + MAX_BODY + " bytes");
            }
            java.util.Optional<String> to = java.util.Optional.empty();
            if (body.length > 0) {
                JsonNode n;
                try {
                    n = json.readTree(body);
                } catch (IOException e) {
                    return Reply.error(400, "malformed request: the body is not JSON");
                }
                if (n == null || !n.isObject() || n.has("to") && !n.get("to").isTextual() && !n.get("to").isNull()) {
                    return Reply.error(400, "malformed request: expected {\"to\": NODE} or no body");
                }
                to = java.util.Optional.ofNullable(n.get("to")).filter(JsonNode::isTextual).map(JsonNode::asText);
            }
            try {
                view.get().move(group, to);
            } catch (IllegalArgumentException e) {
                return Reply.error(409, e.getMessage());
            }
            LOG.info("admin API: move of group {} requested{}", group, to.map(t -> " to " + t).orElse(""));
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("group", group);
            reply.put("requested", "move");
            reply.put("to", to.orElse(null));
            return Reply.ok(202, reply);
        } catch (IllegalStateException e) {
            return Reply.error(503, e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            return Reply.error(503, "cannot read the cluster from ZooKeeper: " + e);
        }
    }

    /** Admits a request that carries a live session cookie of the web page (for {@code /metrics}). */
    Authentication webSession() {
        return ex -> sessions.session(web.sessionCookie(ex)).isPresent();
    }

    private Reply route(HttpExchange ex) throws IOException {
        String hostProblem = hostProblem(ex);
        if (hostProblem != null) {
            return Reply.error(403, hostProblem + " (expected one of " + new TreeSet<>(hostHeaders) + ")");
        }
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        if (path.equals("/login")) {
            return login(ex);
        }
        boolean bearer = authorized(ex);
        WebSessions.Session session = bearer ? null : sessions.session(web.sessionCookie(ex)).orElse(null);
        if (!bearer && session == null) {
            if (WebPage.isPagePath(path)) {
                return new Reply(401, WebPage.loginNeeded("Not logged in, or the session has ended."), Map.of());
            }
            return new Reply(401, Map.of("error", "missing or wrong token (send 'Authorization: Bearer TOKEN'; "
                    + "the token is in admin.json in the host's state directory)"),
                    Map.of("WWW-Authenticate", "Bearer realm=\"clusworker\""));
        }
        if (session != null && !method.equals("GET") && !method.equals("HEAD")) {
            String csrf = web.csrfProblem(ex, session);
            if (csrf != null) {
                LOG.warn("admin API: refused {} {} with a web session: {}", method, path, csrf);
                return Reply.error(403, "refused: " + csrf);
            }
        }
        Reply page = webRoute(ex, method, path, session);
        if (page != null) {
            return page;
        }
        if (path.equals("/v1/events")) {
            return method.equals("GET") ? subscribe(ex) : methodNotAllowed("GET");
        }
        if (path.equals("/v1/cluster") || path.startsWith("/v1/cluster/")) {
            return cluster(ex, method, path);
        }
        if (ex.getRequestURI().getRawQuery() != null) {
            return Reply.error(400, "malformed request: no query parameters are accepted");
        }
        if (path.equals("/v1/resources") || path.equals("/v1/resources/")) {
            if (!method.equals("GET")) {
                return methodNotAllowed("GET");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("host", host.hostName());
            body.put("resources", host.statuses().stream().map(StatusJson::of).toList());
            return Reply.ok(200, body);
        }
        Matcher one = RESOURCE.matcher(path);
        if (one.matches()) {
            if (!method.equals("GET")) {
                return methodNotAllowed("GET");
            }
            String name = one.group(1);
            if (!Names.isValid(name)) {
                return Reply.error(400, "malformed resource name '" + name + "'");
            }
            return withResource(name, () -> Reply.ok(200, StatusJson.of(host.status(name))));
        }
        Matcher action = ACTION.matcher(path);
        if (action.matches()) {
            String name = action.group(1);
            String verb = action.group(2);
            if (!verb.equals("online") && !verb.equals("offline")) {
                return Reply.error(404, "no such action '" + verb + "' (expected: online or offline)");
            }
            if (!method.equals("POST")) {
                return methodNotAllowed("POST");
            }
            if (!Names.isValid(name)) {
                return Reply.error(400, "malformed resource name '" + name + "'");
            }
            String bodyProblem = checkBody(ex);
            if (bodyProblem != null) {
                return Reply.error(400, "malformed request: " + bodyProblem);
            }
            return withResource(name, () -> {
                if (verb.equals("online")) {
                    host.requestOnline(name);
                } else {
                    host.requestOffline(name);
                }
                LOG.info("admin API: {} requested for {}", verb, name);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("resource", name);
                body.put("requested", verb);
                return Reply.ok(202, body);
            });
        }
        return Reply.error(404, "no such endpoint: " + method + " " + path
                + " (expected: GET /v1/resources, GET /v1/resources/NAME, POST /v1/resources/NAME/online|offline, GET /v1/events, "
                + "POST /v1/login-codes, GET /)");
    }

    /** {@code GET /login?code=CODE}: the code for a session cookie, and off to the page (the code leaves the address bar). */
    private Reply login(HttpExchange ex) {
        if (!ex.getRequestMethod().equals("GET")) {
            return methodNotAllowed("GET");
        }
        String query = ex.getRequestURI().getRawQuery();
        String code = query != null && query.startsWith("code=") && query.indexOf('&') < 0 ? query.substring(5) : null;
        java.util.Optional<WebSessions.Session> s = sessions.login(code);
        if (s.isEmpty()) {
            LOG.warn("admin API: refused a login with an unknown, expired or used code");
            return new Reply(403, WebPage.loginNeeded("This login code is unknown, expired or used already."), Map.of());
        }
        LOG.info("admin API: web page login");
        long maxAge = sessions.settings().sessionLifetime().toSeconds();
        return new Reply(303, null, Map.of("Location", "/", "Set-Cookie", web.setCookie(s.get(), maxAge)));
    }

    /** The web page's own paths and {@code /v1/login-codes}, or null if {@code path} is none of them. */
    private Reply webRoute(HttpExchange ex, String method, String path, WebSessions.Session session) {
        java.util.Optional<WebPage.Asset> asset = web.asset(path);
        if (asset.isPresent()) {
            return method.equals("GET") ? new Reply(200, asset.get(), Map.of()) : methodNotAllowed("GET");
        }
        switch (path) {
            case "/v1/login-codes" -> {
                if (!method.equals("POST")) {
                    return methodNotAllowed("POST");
                }
                if (session != null) {
                    return Reply.error(403, "login codes are minted with the token only (Authorization: Bearer TOKEN)");
                }
                WebSessions.LoginCode code = sessions.mintCode();
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("code", code.code());
                body.put("url", url.resolve("login?code=" + code.code()).toString());
                body.put("expiresInSeconds", sessions.settings().codeLifetime().toSeconds());
                return Reply.ok(201, body);
            }
            case "/v1/session" -> {
                if (!method.equals("GET")) {
                    return methodNotAllowed("GET");
                }
                if (session == null) {
                    return Reply.error(404, "no web session: this request carries the token");
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("host", host.hostName());
                body.put("csrf", session.csrf());
                body.put("expires", session.expires().toString());
                return Reply.ok(200, body);
            }
            case "/logout" -> {
                if (!method.equals("POST")) {
                    return methodNotAllowed("POST");
                }
                if (session != null) {
                    sessions.end(session.id());
                }
                return new Reply(204, null, Map.of("Set-Cookie", web.clearCookie()));
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * {@code GET /v1/events}: resumes after the {@code Last-Event-ID} header, else after the
     * {@code lastEventId} query parameter (the header wins: a browser's EventSource sends it on
     * reconnecting, with the URL it first opened), else starts with the next event.
     */
    private Reply subscribe(HttpExchange ex) {
        String query = ex.getRequestURI().getRawQuery();
        String header = ex.getRequestHeaders().getFirst("Last-Event-ID");
        if (query != null && !query.startsWith("lastEventId=")) {
            return Reply.error(400, "malformed request: the only query parameter accepted is lastEventId=N");
        }
        String id = null;
        for (String given : new String[] {query == null ? null : query.substring("lastEventId=".length()),
                header == null || header.isBlank() ? null : header.strip()}) {
            if (given != null && !LAST_EVENT_ID.matcher(given).matches()) {
                return Reply.error(400, "malformed last event id '" + given + "' (expected: an event's id, a number >= 0)");
            }
            id = given == null ? id : given;
        }
        EventSubscription s = events.subscribe(id == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(id)));
        return new Reply(200, null, Map.of(), s);
    }

    private Reply withResource(String name, java.util.function.Supplier<Reply> action) {
        try {
            return action.get();
        } catch (UnknownResourceException e) {
            return Reply.error(404, "unknown resource '" + name + "'");
        } catch (IllegalStateException e) {
            return Reply.error(409, e.getMessage());
        }
    }

    private static Reply methodNotAllowed(String allowed) {
        return new Reply(405, Map.of("error", "method not allowed (expected: " + allowed + ")"), Map.of("Allow", allowed));
    }

    /** Why the Host header does not name this API, or null if it does. */
    private String hostProblem(HttpExchange ex) {
        List<String> values = ex.getRequestHeaders().get("Host");
        if (values == null || values.isEmpty()) {
            return "no Host header";
        }
        if (values.size() > 1) {
            return "more than one Host header " + values;
        }
        return hostHeaders.contains(values.get(0).toLowerCase(Locale.ROOT)) ? null
                : "Host header '" + values.get(0) + "' does not name this API";
    }

    private boolean authorized(HttpExchange ex) {
        List<String> values = ex.getRequestHeaders().get("Authorization");
        if (values == null || values.size() != 1) {
            return false;
        }
        return MessageDigest.isEqual(token, values.get(0).getBytes(StandardCharsets.UTF_8));
    }

    /** A POST's body must be empty or a JSON object (of no particular content). Null if fine. */
    private String checkBody(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            return "body larger than " + MAX_BODY + " bytes";
        }
        if (new String(body, StandardCharsets.UTF_8).isBlank()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.isObject() ? null : "body must be empty or a JSON object";
        } catch (IOException e) {
            return "body is not JSON";
        }
    }

    private void send(HttpExchange ex, Reply reply) throws IOException {
        if (reply.body() == null) {
            reply.headers().forEach(ex.getResponseHeaders()::set);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
            ex.sendResponseHeaders(reply.status(), -1);
            return;
        }
        byte[] bytes;
        if (reply.body() instanceof WebPage.Asset asset) {
            bytes = asset.bytes();
            ex.getResponseHeaders().set("Content-Type", asset.contentType());
            ex.getResponseHeaders().set("Content-Security-Policy", WebPage.CONTENT_SECURITY_POLICY);
            ex.getResponseHeaders().set("X-Frame-Options", "DENY");
        } else {
            bytes = json.writeValueAsBytes(reply.body());
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        }
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        reply.headers().forEach(ex.getResponseHeaders()::set);
        ex.sendResponseHeaders(reply.status(), bytes.length);
        ex.getResponseBody().write(bytes);
    }
}
