package org.clusworker.host;

import java.time.Instant;
import java.util.Objects;

/**
 * One thing that happened in a {@link ResourceHost}, numbered in the order the host's listeners receive
 * it: a resource's transition, a progress report of its pending operation, a failure, a planned
 * retry, or a change of the host itself. The admin API streams these as Server-Sent Events.
 *
 * <p>Every resource event carries the resource's {@link ResourceStatus} as it was right after the
 * event, so that a reader never has to ask for a snapshot to make sense of one.
 *
 * @param sequence the event's number: 1 for the host's first, then one more for each (never reused)
 * @param kind     what happened
 * @param time     when, by the host's clock
 * @param resource the resource, or {@code null} for a {@link Kind#HOST} event
 * @param from     the state left, for a {@link Kind#TRANSITION}; else the resource's state ({@code null} for a host event)
 * @param to       the state entered, for a {@link Kind#TRANSITION}; else the resource's state ({@code null} for a host event)
 * @param message  the cause of a transition, the progress message, the failure's reason, the retry's
 *                 plan, or what the host did
 * @param status   the resource's status right after the event ({@code null} for a host event)
 */
public record HostEvent(long sequence, Kind kind, Instant time, String resource, ResourceState from,
                        ResourceState to, String message, ResourceStatus status) {

    /** What an event reports. */
    public enum Kind {
        /** A resource moved from one state to another ({@link ResourceEvent}). */
        TRANSITION("transition"),
        /** A pending online or offline reported progress (a checkpoint and a message). */
        PROGRESS("progress"),
        /** A resource failed, or a failure was recorded (the message is the cause). */
        FAILURE("failure"),
        /** The next attempt to bring a failed resource online was planned ({@link ResourceStatus#nextAttempt()}). */
        RETRY("retry"),
        /** The host started, began shutting down, or closed. */
        HOST("host");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        /** The lower-case name used on the wire, e.g. as the SSE {@code event:} field. */
        public String wireName() {
            return wireName;
        }
    }

    public HostEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(message, "message");
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence: " + sequence + " (expected: >= 0)");
        }
    }

    /** A resource event, not yet numbered (the host numbers it when it delivers it). */
    public static HostEvent of(Kind kind, ResourceState from, String message, ResourceStatus status, Instant time) {
        return new HostEvent(0, kind, time, status.name(), from, status.state(), message, status);
    }

    /** A host event, not yet numbered. */
    public static HostEvent ofHost(String message, Instant time) {
        return new HostEvent(0, Kind.HOST, time, null, null, null, message, null);
    }

    /** This event with its number. */
    public HostEvent numbered(long number) {
        return new HostEvent(number, kind, time, resource, from, to, message, status);
    }

    /** The transition as a {@link ResourceEvent}; only for {@link Kind#TRANSITION}. */
    public ResourceEvent asTransition() {
        if (kind != Kind.TRANSITION) {
            throw new IllegalStateException("Expected a transition event, but was " + kind.wireName() + " event " + sequence);
        }
        return new ResourceEvent(resource, from, to, message, time);
    }
}
