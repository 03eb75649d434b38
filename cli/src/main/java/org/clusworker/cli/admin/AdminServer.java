package org.clusworker.cli.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.clusworker.worker.Registration;

/**
 * The admin API: HTTP with JSON, and the host's events as Server-Sent Events, on a loopback address
 * only, answering requests that carry the host's random token (see {@link AdminHandler}).
 *
 * <p>Implementation notes: the JDK's {@link HttpServer}, one virtual thread per request (so an event
 * stream, which holds its request's thread for as long as the client stays, costs no platform
 * thread); the handler holds no state of its own and neither the host's methods nor the
 * {@link EventBroker} (a listener of the host's events from the API's start) ever block, so requests
 * need no lock. {@link #close()} stops listening to the host, ends every event stream once it has sent
 * what it holds, stops accepting, waits up to a second for requests in flight, and returns.
 */
public final class AdminServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final String token;
    private final EventBroker events;
    private final Registration listening;

    /** The API's handler: its web sessions admit to {@code /metrics} too. */
    private final AdminHandler handler;

    private AdminServer(HttpServer server, ExecutorService executor, String token, EventBroker events, Registration listening,
                        AdminHandler handler) {
        this.handler = handler;
        this.server = server;
        this.executor = executor;
        this.token = token;
        this.events = events;
        this.listening = listening;
    }

    /**
     * Starts the API on {@code address:port} (port 0: any free port) with a fresh random token.
     *
     * @throws IllegalArgumentException if the address is not a loopback address
     * @throws IOException              if the port cannot be bound (e.g. in use)
     */
    public static AdminServer start(InetAddress address, int port, HostControl host, ObjectMapper json) throws IOException {
        return start(address, port, host, json, EventBroker.Settings.DEFAULTS);
    }

    /** As {@link #start(InetAddress, int, HostControl, ObjectMapper)}, with the event streams' settings (for tests). */
    public static AdminServer start(InetAddress address, int port, HostControl host, ObjectMapper json,
                                    EventBroker.Settings eventSettings) throws IOException {
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("address: " + address + " (expected: a loopback address)");
        }
        String token = newToken();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 16);
        } catch (BindException e) {
            throw new IOException("cannot listen on " + address.getHostAddress() + ":" + port + " (" + e.getMessage()
                    + "); is another host using it? Set host.adminPort, or 0 for any free port", e);
        }
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("clusworker-admin-", 1).factory());
        server.setExecutor(executor);
        EventBroker events = new EventBroker(json, eventSettings);
        Registration listening = host.addEventListener(events);
        AdminHandler handler = new AdminHandler(host, events, token, url(server.getAddress()), json);
        server.createContext("/", handler);
        server.start();
        return new AdminServer(server, executor, token, events, listening, handler);
    }

    /**
     * Serves {@code scrape} (the Prometheus text) at {@code GET /metrics}, behind the API's Host-header
     * check and its bearer token ({@link MetricsHandler}).
     */
    public void serveMetrics(java.util.function.Supplier<String> scrape) {
        server.createContext(MetricsHandler.PATH, new MetricsHandler(scrape, Authentication.bearer(token).or(handler.webSession()), url()));
    }

    static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public String token() {
        return token;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** E.g. {@code http://127.0.0.1:41234/}. */
    public URI url() {
        return url(server.getAddress());
    }

    private static URI url(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    /** The host's events as the API streams them (for tests). */
    EventBroker events() {
        return events;
    }

    @Override
    public void close() {
        listening.close();
        events.close();
        server.stop(1);
        executor.shutdownNow();
    }
}
