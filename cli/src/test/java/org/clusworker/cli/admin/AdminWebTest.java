package org.clusworker.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The web page's login, session cookie and CSRF checks, over HTTP, against a fake host. */
class AdminWebTest {

    private final ObjectMapper json = AdminJson.mapper();
    private final FakeHostControl host = new FakeHostControl();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final WebSessions sessions = new WebSessions(WebSessions.Settings.DEFAULTS, Clock.systemUTC());
    private HttpServer server;
    private EventBroker events;
    private URI url;
    private final String token = AdminServer.newToken();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        events = new EventBroker(json, EventBroker.Settings.DEFAULTS);
        server.createContext("/", new AdminHandler(host, events, token, url, json, sessions));
        server.start();
    }

    @AfterEach
    void stop() {
        events.close();
        server.stop(0);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(url.resolve(path));
    }

    private HttpRequest.Builder post(String path) {
        return HttpRequest.newBuilder(url.resolve(path)).POST(HttpRequest.BodyPublishers.noBody());
    }

    private String mintCode() throws Exception {
        HttpResponse<String> r = send(post("v1/login-codes").header("Authorization", "Bearer " + token));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        var body = json.readTree(r.body());
        assertThat(body.get("url").asText()).isEqualTo(url + "login?code=" + body.get("code").asText());
        assertThat(body.get("expiresInSeconds").asLong()).isEqualTo(60);
        return body.get("code").asText();
    }

    /** Logs in with a fresh code; returns the Cookie header to send. */
    private String login() throws Exception {
        HttpResponse<String> r = send(get("login?code=" + mintCode()));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains("/");
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("clusworker_session_" + url.getPort() + "=")
                .contains("; Path=/", "; HttpOnly", "; SameSite=Strict", "; Max-Age=");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private String csrf(String cookie) throws Exception {
        HttpResponse<String> r = send(get("v1/session").header("Cookie", cookie));
        assertThat(r.statusCode()).isEqualTo(200);
        var body = json.readTree(r.body());
        assertThat(body.get("host").asText()).isEqualTo("fake");
        return body.get("csrf").asText();
    }

    @Test
    void withoutSession_everyPageAssetAndApiCall_is401_andChangesNothing() throws Exception {
        for (String path : new String[] {"", "assets/app.js", "assets/app.css", "v1/session", "v1/resources", "v1/events"}) {
            HttpResponse<String> r = send(get(path));
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.body()).doesNotContain("EventSource");
        }
        assertThat(send(get("")).body()).contains("clusworker open");
        assertThat(send(get("").header("Cookie", "clusworker_session_" + url.getPort() + "=forged")).statusCode()).isEqualTo(401);
        assertThat(send(post("v1/resources/db/offline").header("Origin", "http://" + url.getAuthority())
                .header("Cookie", "clusworker_session_" + url.getPort() + "=forged")).statusCode()).isEqualTo(401);
        assertThat(send(post("v1/login-codes")).statusCode()).isEqualTo(401);
        assertThat(host.requests).isEmpty();
    }

    @Test
    void loginCode_onlyWithTheToken_onceOnly() throws Exception {
        String code = mintCode();
        assertThat(send(post("v1/login-codes").header("Authorization", "Bearer wrong")).statusCode()).isEqualTo(401);
        assertThat(send(get("login?code=wrong")).statusCode()).isEqualTo(403);
        assertThat(send(get("login")).statusCode()).isEqualTo(403);
        HttpResponse<String> first = send(get("login?code=" + code));
        assertThat(first.statusCode()).isEqualTo(303);
        HttpResponse<String> replay = send(get("login?code=" + code));
        assertThat(replay.statusCode()).isEqualTo(403);
        assertThat(replay.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(replay.body()).contains("unknown, expired or used");
        assertThat(send(post("login?code=" + mintCode())).statusCode()).isEqualTo(405);
    }

    @Test
    void session_getsThePageAndTheApi_withSecurityHeaders() throws Exception {
        String cookie = login();
        HttpResponse<String> page = send(get("").header("Cookie", cookie));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'",
                "frame-ancestors 'none'");
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(page.body()).contains("/assets/app.js").doesNotContain(token);
        HttpResponse<String> js = send(get("assets/app.js").header("Cookie", cookie));
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
        assertThat(js.body()).contains("EventSource").doesNotContain(token);
        assertThat(send(get("assets/app.css").header("Cookie", cookie)).statusCode()).isEqualTo(200);
        assertThat(send(get("assets/other.js").header("Cookie", cookie)).statusCode()).isEqualTo(404);
        assertThat(send(get("v1/resources").header("Cookie", cookie)).statusCode()).isEqualTo(200);
        assertThat(send(get("v1/session").header("Authorization", "Bearer " + token)).statusCode()).isEqualTo(404);
        assertThat(csrf(cookie)).isNotEqualTo(csrf(login())); // a token per session
    }

    @Test
    void post_withSession_needsTheCsrfTokenAndOurOrigin() throws Exception {
        String cookie = login();
        String csrf = csrf(cookie);
        String origin = "http://" + url.getAuthority();
        HttpRequest.Builder offline = post("v1/resources/db/offline").header("Cookie", cookie);
        assertThat(send(offline.copy().header("Origin", origin)).statusCode()).as("no CSRF token").isEqualTo(403);
        assertThat(send(offline.copy().header("Origin", origin).header("X-CSRF-Token", "wrong")).statusCode()).isEqualTo(403);
        assertThat(send(offline.copy().header("Origin", origin).header("X-CSRF-Token", csrf(login()))).statusCode())
                .as("another session's token").isEqualTo(403);
        assertThat(send(offline.copy().header("X-CSRF-Token", csrf)).statusCode()).as("no Origin").isEqualTo(403);
        assertThat(send(offline.copy().header("Origin", "http://evil.example").header("X-CSRF-Token", csrf)).statusCode())
                .isEqualTo(403);
        assertThat(send(offline.copy().header("Origin", origin).header("Sec-Fetch-Site", "cross-site")
                .header("X-CSRF-Token", csrf)).statusCode()).isEqualTo(403);
        assertThat(send(post("v1/login-codes").header("Cookie", cookie).header("Origin", origin)
                .header("X-CSRF-Token", csrf)).statusCode()).as("a session mints no codes").isEqualTo(403);
        assertThat(host.requests).isEmpty();

        HttpResponse<String> ok = send(offline.copy().header("Origin", origin).header("X-CSRF-Token", csrf)
                .header("Sec-Fetch-Site", "same-origin"));
        assertThat(ok.statusCode()).isEqualTo(202);
        assertThat(host.requests).containsExactly("offline db");

        assertThat(send(post("logout").header("Cookie", cookie).header("Origin", origin).header("X-CSRF-Token", csrf))
                .statusCode()).isEqualTo(204);
        assertThat(send(get("").header("Cookie", cookie)).statusCode()).isEqualTo(401);
    }

    @Test
    void bearerApi_unchanged_noOriginOrCsrfNeeded() throws Exception {
        assertThat(send(post("v1/resources/db/online").header("Authorization", "Bearer " + token)).statusCode()).isEqualTo(202);
        assertThat(host.requests).containsExactly("online db");
    }

    @Test
    void login_withAForeignHostHeader_is403_andTheCodeStaysUnused() throws Exception {
        String code = mintCode();
        String response;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), url.getPort())) {
            s.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            OutputStream out = s.getOutputStream();
            out.write(("GET /login?code=" + code + " HTTP/1.1\r\nHost: rebound.example:" + url.getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(response).startsWith("HTTP/1.1 403").doesNotContain("Set-Cookie");
        assertThat(send(get("login?code=" + code)).statusCode()).isEqualTo(303);
    }
}
