package org.clusworker.worker;

/**
 * A registered termination callback; {@link #close()} removes it if it has not run yet.
 */
@FunctionalInterface
public interface Registration extends AutoCloseable {

    /** Removes the callback; it will not run unless it already has (or is running). Idempotent. */
    @Override
    void close();
}
