package org.clusworker.host.engine;

/**
 * How an agent call ended: what it returned, or what it threw.
 *
 * @param value   the return value ({@code null} for void entry points)
 * @param failure what it threw; {@code null} if it returned
 */
public record Outcome(Object value, Throwable failure) {

    static Outcome returned(Object value) {
        return new Outcome(value, null);
    }

    static Outcome threw(Throwable failure) {
        return new Outcome(null, failure);
    }

    boolean ok() {
        return failure == null;
    }

    /** Whether it returned {@code true} (for looksAlive and isAlive). */
    boolean isTrue() {
        return ok() && Boolean.TRUE.equals(value);
    }
}
