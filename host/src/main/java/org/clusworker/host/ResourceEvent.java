package org.clusworker.host;

import java.time.Instant;

/**
 * One state transition of one resource.
 *
 * @param resource the resource's name
 * @param from     the state it left
 * @param to       the state it entered
 * @param cause    why, e.g. {@code "online requested"}, {@code "pending timeout (180s) without progress"}
 * @param time     when, by the host's clock
 */
public record ResourceEvent(String resource, ResourceState from, ResourceState to, String cause, Instant time) {
}
