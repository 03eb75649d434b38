package org.clusworker.cli.admin;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Optional;
import org.clusworker.host.HostEvent;
import org.clusworker.host.ResourceState;

/**
 * One event of {@code GET /v1/events} as its {@code data:} line carries it, in JSON (and as a client
 * reads it back). The same shape for every kind, so that {@code status --watch --json} prints lines
 * a program can read without knowing the SSE fields.
 *
 * @param id       the event's number (the SSE {@code id:}); for a resync, the last event it stands for
 * @param kind     {@code transition}, {@code progress}, {@code failure}, {@code retry}, {@code host}, or {@code resync}
 * @param time     when (ISO-8601)
 * @param resource the resource, or {@code null} for a host event and a resync
 * @param from     the state left by a transition (else the resource's state), e.g. {@code ONLINE}; {@code null} if no resource
 * @param to       the state entered by a transition (else the resource's state); {@code null} if no resource
 * @param message  the cause, progress message, failure, plan, what the host did, or why a resync is needed
 * @param status   the resource's status right after the event ({@code null} if no resource)
 */
@JsonPropertyOrder({"id", "kind", "time", "resource", "from", "to", "message", "status"})
public record EventJson(long id, String kind, String time, String resource, String from, String to, String message,
                        StatusJson status) {

    /** The kind of the event that tells a client to re-read {@code GET /v1/resources}. */
    public static final String RESYNC = "resync";

    public static EventJson of(HostEvent e) {
        return new EventJson(e.sequence(), e.kind().wireName(), e.time().toString(), e.resource(), name(e.from()),
                name(e.to()), e.message(), e.status() == null ? null : StatusJson.of(e.status()));
    }

    public static EventJson resync(long id, Instant time, String reason) {
        return new EventJson(id, RESYNC, time.toString(), null, null, null, reason, null);
    }

    @JsonIgnore
    public boolean isResync() {
        return RESYNC.equals(kind);
    }

    /** Back to the host's record (for the views); empty for a resync, and for a kind this client does not know. */
    public Optional<HostEvent> toHostEvent() {
        for (HostEvent.Kind k : HostEvent.Kind.values()) {
            if (k.wireName().equals(kind)) {
                return Optional.of(new HostEvent(id, k, Instant.parse(time), resource, state(from), state(to), message,
                        status == null ? null : status.toStatus()));
            }
        }
        return Optional.empty();
    }

    private static String name(ResourceState s) {
        return s == null ? null : s.name();
    }

    private static ResourceState state(String name) {
        return name == null ? null : ResourceState.valueOf(name);
    }
}
