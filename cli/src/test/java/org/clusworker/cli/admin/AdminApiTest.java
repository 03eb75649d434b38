package org.clusworker.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.clusworker.host.ResourceState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminApiTest {

    @TempDir
    Path stateDir;

    private final ObjectMapper json = AdminJson.mapper();
    private final FakeHostControl host = new FakeHostControl();
    private final HttpClient http = HttpClient.newHttpClient();
    private AdminServer server;

    @BeforeEach
    void start() throws IOException {
        server = AdminServer.start(InetAddress.getLoopbackAddress(), 0, host, json);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> request(String method, String path, String authorization, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.url().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> authorized(String method, String path) throws IOException, InterruptedException {
        return request(method, path, "Bearer " + server.token(), null);
    }

    @Test
    void start_listensOnLoopbackOnly() {
        assertThat(server.url().getHost()).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> AdminServer.start(InetAddress.getByName("0.0.0.0"), 0, host, json))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void list_withToken_returnsEveryResource() throws Exception {
        HttpResponse<String> r = authorized("GET", "v1/resources");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("host").asText()).isEqualTo("fake");
        assertThat(body.get("resources")).hasSize(2);
        JsonNode web = body.get("resources").get(1);
        assertThat(web.get("state").asText()).isEqualTo("ONLINE_PENDING");
        assertThat(web.get("stateCode").asInt()).isEqualTo(129);
        assertThat(web.get("progress").asText()).isEqualTo("warming");
        assertThat(web.get("dependsOn").get(0).asText()).isEqualTo("db");
    }

    @Test
    void missingOrWrongToken_401_andNothingChanges() throws Exception {
        for (String auth : new String[] {null, "Bearer wrong", "Bearer " + server.token() + "x", server.token(), "Basic abc"}) {
            for (String[] call : new String[][] {{"GET", "v1/resources"}, {"POST", "v1/resources/db/online"},
                    {"POST", "v1/resources/db/offline"}, {"GET", "nowhere"}}) {
                HttpResponse<String> r = request(call[0], call[1], auth, null);
                assertThat(r.statusCode()).as(auth + " " + call[0] + " " + call[1]).isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"clusworker\"");
                assertThat(r.body()).doesNotContain(server.token());
            }
        }
        assertThat(host.requests).isEmpty();
    }

    @Test
    void foreignHostHeader_403_evenWithTheToken_andNothingChanges() throws Exception {
        String token = server.token();
        int port = server.port();
        for (String hostHeader : new String[] {"rebound.example:" + port, "127.0.0.1", "127.0.0.1:" + (port + 1), "localhost"}) {
            String reply = raw("POST /v1/resources/db/online HTTP/1.1\r\nHost: " + hostHeader
                    + "\r\nAuthorization: Bearer " + token + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertThat(reply).as(hostHeader).startsWith("HTTP/1.1 403").contains("does not name this API");
        }
        assertThat(host.requests).isEmpty();
        for (String hostHeader : new String[] {"127.0.0.1:" + port, "LOCALHOST:" + port, "[::1]:" + port}) {
            String reply = raw("GET /v1/resources HTTP/1.1\r\nHost: " + hostHeader
                    + "\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n\r\n");
            assertThat(reply).as(hostHeader).startsWith("HTTP/1.1 200");
        }
    }

    /** One raw HTTP exchange (the JDK's HttpClient does not let a request set its own Host header). */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void online_knownResource_202AndRequested() throws Exception {
        HttpResponse<String> r = authorized("POST", "v1/resources/web/online");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(json.readTree(r.body()).get("requested").asText()).isEqualTo("online");
        assertThat(authorized("POST", "v1/resources/db/offline").statusCode()).isEqualTo(202);
        assertThat(host.requests).containsExactly("online web", "offline db");
    }

    @Test
    void unknownResource_404_andNothingChanges() throws Exception {
        assertThat(authorized("GET", "v1/resources/nope").statusCode()).isEqualTo(404);
        HttpResponse<String> r = authorized("POST", "v1/resources/nope/online");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json.readTree(r.body()).get("error").asText()).isEqualTo("unknown resource 'nope'");
        assertThat(host.requests).isEmpty();
    }

    @Test
    void malformedRequests_400or404or405_andNothingChanges() throws Exception {
        String auth = "Bearer " + server.token();
        assertThat(request("POST", "v1/resources/db/online", auth, "not json").statusCode()).isEqualTo(400);
        assertThat(request("POST", "v1/resources/db/online", auth, "[1]").statusCode()).isEqualTo(400);
        assertThat(authorized("POST", "v1/resources/db/online?force=true").statusCode()).isEqualTo(400);
        assertThat(authorized("GET", "v1/resources/bad%20name").statusCode()).isEqualTo(400);
        assertThat(authorized("POST", "v1/resources/db/restart").statusCode()).isEqualTo(404);
        assertThat(authorized("GET", "v2/anything").statusCode()).isEqualTo(404);
        HttpResponse<String> wrongMethod = authorized("GET", "v1/resources/db/online");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("POST");
        assertThat(authorized("DELETE", "v1/resources/db").statusCode()).isEqualTo(405);
        assertThat(host.requests).isEmpty();
        assertThat(request("POST", "v1/resources/db/online", auth, "{}").statusCode()).isEqualTo(202);
    }

    @Test
    void client_throughAdminFile_readsAndRequests() throws IOException {
        AdminFile file = new AdminFile(server.url(), server.token(), "fake", ProcessHandle.current().pid());
        file.write(stateDir, json);
        assertThat(Files.getPosixFilePermissions(AdminFile.in(stateDir)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        AdminClient client = new AdminClient(AdminFile.read(stateDir, json), json);
        AdminClient.Listing list = client.list();
        assertThat(list.host()).isEqualTo("fake");
        assertThat(list.resources()).extracting(StatusJson::name).containsExactly("db", "web");
        assertThat(client.status("web").toStatus().state()).isEqualTo(ResourceState.ONLINE_PENDING);
        client.requestOffline("web");
        assertThat(host.requests).containsExactly("offline web");
        assertThatThrownBy(() -> client.requestOnline("nope"))
                .isInstanceOfSatisfying(AdminException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessage("unknown resource 'nope'");
    }

    @Test
    void client_wrongToken_401Reported() {
        AdminClient client = new AdminClient(new AdminFile(server.url(), "stale", "fake", 1), json);
        assertThatThrownBy(client::list).isInstanceOfSatisfying(AdminException.class,
                e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void client_noHost_saysSo() {
        assertThatThrownBy(() -> AdminFile.read(stateDir, json)).isInstanceOf(AdminException.class)
                .hasMessageContaining("no host is running with state directory " + stateDir);
        server.close();
        AdminClient client = new AdminClient(new AdminFile(server.url(), "t", "gone", 1), json);
        assertThatThrownBy(client::list).isInstanceOf(AdminException.class).hasMessageContaining("does not answer");
    }

    @Test
    void adminFile_delete_onlyIfStillOurs() throws IOException {
        AdminFile ours = new AdminFile(URI.create("http://127.0.0.1:1/"), "a", "h", 1);
        AdminFile theirs = new AdminFile(URI.create("http://127.0.0.1:2/"), "b", "h", 2);
        theirs.write(stateDir, json);
        ours.delete(stateDir, json);
        assertThat(AdminFile.in(stateDir)).exists();
        theirs.delete(stateDir, json);
        assertThat(AdminFile.in(stateDir)).doesNotExist();
    }
}
