package org.clusworker.worker;

import java.time.Duration;

/**
 * An immutable view of one worker at one moment, as listed by {@link WorkerRegistry#live()}.
 *
 * @param name    the worker's name (also its thread's name)
 * @param state   its state when the snapshot was taken
 * @param age     how long ago it was built
 * @param virtual whether it runs on a virtual thread
 */
public record WorkerSnapshot(String name, WorkerState state, Duration age, boolean virtual) {
}
