package org.clusworker.cli.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.clusworker.host.HostEvent;

/**
 * The bytes of {@code GET /v1/events}, as Server-Sent Events (UTF-8): each event is
 *
 * <pre>
 * id: 42
 * event: transition
 * data: {"id":42,"kind":"transition","time":"...","resource":"web",...}
 * (blank line)
 * </pre>
 *
 * <p>with one line of JSON ({@link EventJson}; JSON escapes every line break inside a string, so the
 * data is always one line). A keep-alive is the comment line {@code : keep-alive} and a blank line.
 * Stateless.
 */
final class SseFrames {

    static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    private final ObjectMapper json;

    SseFrames(ObjectMapper json) {
        this.json = json;
    }

    byte[] event(HostEvent e) {
        return frame(e.sequence(), e.kind().wireName(), EventJson.of(e));
    }

    /** A resync standing for every event up to {@code id}: the client re-reads the statuses. */
    byte[] resync(long id, Instant time, String reason) {
        return frame(id, EventJson.RESYNC, EventJson.resync(id, time, reason));
    }

    private byte[] frame(long id, String event, EventJson data) {
        String line;
        try {
            line = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write event " + id + " as JSON", e);
        }
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalStateException("Expected event " + id + " as one line of JSON, but it has a line break: " + line);
        }
        return ("id: " + id + "\nevent: " + event + "\ndata: " + line + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
