package org.clusworker.cli.admin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code GET /v1/events} over a bare socket, as HTTP/1.0: the server then sends the stream unchunked,
 * up to the connection's end, so the test reads the very bytes of the SSE format. It may set any
 * header (Host too) and a small receive buffer, and may never read.
 */
final class RawStream implements AutoCloseable {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    final String statusLine;
    final List<String> headers = new ArrayList<>();
    private final Socket socket;
    private final BufferedReader in;
    private final SseReader events;

    private RawStream(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.statusLine = in.readLine();
        for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
            headers.add(h);
        }
        this.events = new SseReader(in);
    }

    /** A request builder: {@code RawStream.to(server).header("Last-Event-ID: 3").connect()}. */
    static Request to(AdminServer server) {
        return new Request(server);
    }

    static final class Request {
        private final AdminServer server;
        private String hostHeader;
        private String token;
        private String target = "/v1/events";
        private String method = "GET";
        private final List<String> extra = new ArrayList<>();
        private int receiveBuffer;

        private Request(AdminServer server) {
            this.server = server;
            this.hostHeader = "127.0.0.1:" + server.port();
            this.token = server.token();
        }

        Request host(String value) {
            this.hostHeader = value;
            return this;
        }

        Request token(String value) {
            this.token = value;
            return this;
        }

        Request target(String value) {
            this.target = value;
            return this;
        }

        Request method(String value) {
            this.method = value;
            return this;
        }

        Request header(String line) {
            extra.add(line);
            return this;
        }

        /** A small receive buffer, for a client that never reads: its socket fills soon. */
        Request receiveBuffer(int bytes) {
            this.receiveBuffer = bytes;
            return this;
        }

        /** Sends the request and reads the status line and headers. */
        RawStream connect() throws IOException {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 10_000);
            StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.0\r\nHost: " + hostHeader + "\r\n");
            if (token != null) {
                request.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            extra.forEach(h -> request.append(h).append("\r\n"));
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new RawStream(socket);
        }
    }

    /** The next event; fails the test if the stream ends first. */
    SseEvent next() throws IOException {
        SseEvent e = events.next();
        if (e == null) {
            throw new AssertionError("the stream ended");
        }
        return e;
    }

    /** The next line as sent (comments too); fails the test if the stream ends first. */
    String line() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new AssertionError("the stream ended");
        }
        return line;
    }

    /**
     * Reads events up to and including the first that matches; fails the test if the stream ends first,
     * or if none matches within {@link #READ_TIMEOUT} in all (keep-alive comments would otherwise keep a
     * wait for an event that never comes going forever).
     */
    List<SseEvent> readUntil(Predicate<SseEvent> last) throws IOException {
        List<SseEvent> read = new ArrayList<>();
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        for (SseEvent e = next(); ; e = next()) {
            read.add(e);
            if (last.test(e)) {
                return read;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("no matching event within " + READ_TIMEOUT + "; read " + read.size() + ", the last: " + e);
            }
        }
    }

    /** The rest of the connection, raw (for error answers). */
    String rest() throws IOException {
        StringBuilder b = new StringBuilder();
        char[] buf = new char[1024];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            b.append(buf, 0, n);
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
