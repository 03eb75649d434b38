package org.clusworker.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    private final HttpClient http;

    public AdminClient(AdminFile target, ObjectMapper json) {
        this.target = target;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
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

    private JsonNode send(String method, String path, int expected) {
        URI uri = target.url().resolve(path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + target.token())
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new AdminException(0, "host '" + target.host() + "' does not answer at " + target.url()
                    + " (not running? its admin.json may be stale: pid " + target.pid() + ")", e);
        } catch (IOException e) {
            throw new AdminException(0, "request to " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException(0, "interrupted while waiting for " + uri, e);
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            throw new AdminException(response.statusCode(), "host answered " + response.statusCode() + " with a body that is not JSON");
        }
        if (response.statusCode() != expected) {
            String error = body != null && body.hasNonNull("error") ? body.get("error").asText() : "HTTP " + response.statusCode();
            throw new AdminException(response.statusCode(), error);
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
