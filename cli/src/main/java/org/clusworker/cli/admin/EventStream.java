package org.clusworker.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.clusworker.host.time.Durations;

/**
 * A client's subscription to a running host's events ({@code GET /v1/events}), for
 * {@code status --watch} and {@code online}/{@code offline --wait}: one HTTP/1.1 request on a plain
 * socket, the chunked answer decoded by {@link ChunkedBody}, the events by {@link SseReader}. (Not
 * {@code java.net.http}, whose start-up a short command would pay for; not {@code HttpURLConnection},
 * whose stream cannot be closed while another thread reads it.)
 *
 * <p>Implementation notes: {@link #open} returns once the host has answered 200, and the host
 * subscribes a client before it answers: every event after {@code open} returns will be read. A
 * reader thread of its own ({@code clusworker-events}, a daemon) parses the stream into a bounded
 * queue; {@link #next} takes from it on the caller's thread. If the caller does not keep up, the
 * reader waits, the host's queue for this client fills, and the host sends a resync. A connection
 * silent for {@link #SILENCE} (four of the host's keep-alives) counts as lost. {@link #close()}
 * closes the socket, which ends the reader at once. One consumer thread only.
 */
public final class EventStream implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration SILENCE = Duration.ofSeconds(60);
    private static final int BUFFERED = 256;
    private static final int MAX_ERROR_BODY = 64 * 1024;

    /** An event, the end of the stream (both null), or the failure that ended it. */
    private record Item(SseEvent event, AdminException failure) {
    }

    private static final Item END = new Item(null, null);

    private final AdminFile target;
    private final Socket socket;
    private final BlockingQueue<Item> items = new LinkedBlockingQueue<>(BUFFERED);
    private final Thread reader;
    /** Set by {@link #close()}: a failure of the reader after it is no failure. */
    private volatile boolean closed;
    /** The end or failure once taken, returned again by later calls. Confined to the consumer. */
    private Item last;

    private EventStream(AdminFile target, Socket socket, InputStream body) {
        this.target = target;
        this.socket = socket;
        this.reader = Thread.ofPlatform().daemon().name("clusworker-events").unstarted(() -> read(body));
    }

    /**
     * Subscribes: to the events after {@code lastEventId} (replayed, or a resync if the host no longer
     * holds them all), or with none to the next event on.
     *
     * @throws AdminException if the host does not answer, rejects the token, or answers with an error
     */
    public static EventStream open(AdminFile target, OptionalLong lastEventId, ObjectMapper json) {
        URI uri = target.url().resolve("v1/events");
        Socket socket = new Socket(Proxy.NO_PROXY);
        try {
            socket.connect(new InetSocketAddress(uri.getHost().replace("[", "").replace("]", ""), uri.getPort()),
                    (int) CONNECT_TIMEOUT.toMillis());
            socket.setSoTimeout((int) SILENCE.toMillis());
            StringBuilder request = new StringBuilder("GET " + uri.getRawPath() + " HTTP/1.1\r\n")
                    .append("Host: ").append(uri.getRawAuthority()).append("\r\n")
                    .append("Authorization: Bearer ").append(target.token()).append("\r\n")
                    .append("Accept: text/event-stream\r\n");
            lastEventId.ifPresent(id -> request.append("Last-Event-ID: ").append(id).append("\r\n"));
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String statusLine = ChunkedBody.line(in);
            Map<String, String> headers = new HashMap<>();
            for (String h = ChunkedBody.line(in); !h.isEmpty(); h = ChunkedBody.line(in)) {
                int colon = h.indexOf(':');
                if (colon > 0) {
                    headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
                }
            }
            String[] parts = statusLine.split(" ", 3);
            int status = parts.length >= 2 && parts[0].startsWith("HTTP/") ? Integer.parseInt(parts[1]) : -1;
            boolean chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
            InputStream body = chunked ? new ChunkedBody(in) : in;
            if (status != 200) {
                throw new AdminException(status, error(body, headers, status, json));
            }
            String type = headers.getOrDefault("content-type", "");
            if (!type.startsWith("text/event-stream")) {
                throw new AdminException(status, "host answered " + uri + " with '" + type + "', not an event stream");
            }
            EventStream stream = new EventStream(target, socket, body);
            stream.reader.start();
            return stream;
        } catch (ConnectException | SocketTimeoutException e) {
            closeQuietly(socket);
            throw new AdminException(0, "host '" + target.host() + "' does not answer at " + target.url()
                    + " (not running? its admin.json may be stale: pid " + target.pid() + ")", e);
        } catch (IOException | NumberFormatException e) {
            closeQuietly(socket);
            throw new AdminException(0, "request to " + uri + " failed: " + e, e);
        } catch (AdminException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /** The {@code error} of a JSON error answer, else {@code HTTP STATUS}. */
    private static String error(InputStream body, Map<String, String> headers, int status, ObjectMapper json) {
        try {
            String length = headers.get("content-length");
            byte[] bytes = length != null ? body.readNBytes((int) Math.min(Long.parseLong(length), MAX_ERROR_BODY))
                    : body.readNBytes(MAX_ERROR_BODY);
            JsonNode node = json.readTree(bytes);
            return node != null && node.hasNonNull("error") ? node.get("error").asText() : "HTTP " + status;
        } catch (IOException | NumberFormatException e) {
            return "HTTP " + status;
        }
    }

    /**
     * The next event, waiting up to {@code timeout} (real time) for it.
     *
     * @return the event, or {@code null} once the host has ended the stream (it is stopping)
     * @throws TimeoutException     if no event came within {@code timeout} (the stream stays usable)
     * @throws AdminException       if the connection was lost
     * @throws InterruptedException if interrupted while waiting (the stream stays usable)
     */
    public SseEvent next(Duration timeout) throws InterruptedException, TimeoutException {
        Item item = last;
        if (item == null) {
            item = items.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (item == null) {
                throw new TimeoutException("no event from host '" + target.host() + "' within " + Durations.format(timeout));
            }
        }
        if (item.event() != null) {
            return item.event();
        }
        last = item;
        if (item.failure() != null) {
            throw item.failure();
        }
        return null;
    }

    private void read(InputStream body) {
        Item end;
        try {
            SseReader events = new SseReader(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)));
            for (SseEvent e = events.next(); e != null; e = events.next()) {
                items.put(new Item(e, null));
            }
            end = END;
        } catch (EOFException e) {
            end = new Item(null, new AdminException(0, "host '" + target.host() + "' at " + target.url()
                    + " closed the connection in the middle of its event stream (did it crash, or was it killed?)", e));
        } catch (IOException e) {
            end = new Item(null, new AdminException(0, closed ? "closed" : "lost the connection to host '" + target.host()
                    + "' at " + target.url() + ": " + e.getMessage(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closed: nobody takes the rest
            return;
        } finally {
            closeQuietly(socket);
        }
        try {
            items.put(end);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket we are done with: nothing to do about it
        }
    }

    /** Closes the connection; the reader thread ends. Idempotent. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(socket);
        reader.interrupt();
    }
}
