package org.clusworker.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of a running host's admin API, which it finds (URL and token) in {@code admin.json} in the
 * host's state directory. Each call is one request, bounded by a timeout; failures are
 * {@link AdminException}s that say what to do.
 */
public final class AdminClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final AdminFile target;
    private final ObjectMapper json;

    public AdminClient(AdminFile target, ObjectMapper json) {
        this.target = target;
        this.json = json;
    }

    /** The host's name and its resources. */
    public record Listing(String host, List<StatusJson> resources) {
    }

    public Listing list() {
        JsonNode body = send("GET", "v1/resources", 200);
        List<StatusJson> resources = new ArrayList<>();
        for (JsonNode n : body.path("resources")) {
            resources.add(convert(n, StatusJson.class));
        }
        return new Listing(body.path("host").asText(), resources);
    }

    public StatusJson status(String name) {
        return convert(send("GET", "v1/resources/" + encode(name), 200), StatusJson.class);
    }

    public void requestOnline(String name) {
        send("POST", "v1/resources/" + encode(name) + "/online", 202);
    }

    public void requestOffline(String name) {
        send("POST", "v1/resources/" + encode(name) + "/offline", 202);
    }

    /** A one-time login code for the web page, and the address that uses it. */
    public record LoginCode(String code, URI url, long expiresInSeconds) {
    }

    /** Mints a one-time login code for the web page ({@code POST /v1/login-codes}). */
    public LoginCode loginCode() {
        JsonNode body = send("POST", "v1/login-codes", 201);
        return new LoginCode(body.path("code").asText(), URI.create(body.path("url").asText()),
                body.path("expiresInSeconds").asLong());
    }

    private JsonNode send(String method, String path, int expected) {
        URI uri = target.url().resolve(path);
        int status;
        byte[] response;
        try {
            // HttpURLConnection, not java.net.http.HttpClient: the latter sets up TLS even for a plain
            // loopback request, which costs a short command a third of its time
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            try {
                c.setConnectTimeout((int) TIMEOUT.toMillis());
                c.setReadTimeout((int) TIMEOUT.toMillis());
                c.setRequestMethod(method);
                c.setRequestProperty("Authorization", "Bearer " + target.token());
                c.setUseCaches(false);
                if (method.equals("POST")) {
                    c.setDoOutput(true);
                    c.getOutputStream().close();
                }
                status = c.getResponseCode();
                try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                    response = in == null ? new byte[0] : in.readAllBytes();
                }
            } finally {
                c.disconnect();
            }
        } catch (ConnectException e) {
            throw new AdminException(0, "host '" + target.host() + "' does not answer at " + target.url()
                    + " (not running? its admin.json may be stale: pid " + target.pid() + ")", e);
        } catch (IOException e) {
            throw new AdminException(0, "request to " + uri + " failed: " + e, e);
        }
        JsonNode body;
        try {
            body = json.readTree(response);
        } catch (IOException e) {
            throw new AdminException(status, "host answered " + status + " with a body that is not JSON");
        }
        if (status != expected) {
            String error = body != null && body.hasNonNull("error") ? body.get("error").asText() : "HTTP " + status;
            throw new AdminException(status, error);
        }
        return body;
    }

    private <T> T convert(JsonNode node, Class<T> type) {
        try {
            return json.treeToValue(node, type);
        } catch (IOException e) {
            throw new AdminException(200, "host answered JSON of an unexpected form: " + e.getMessage(), e);
        }
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
