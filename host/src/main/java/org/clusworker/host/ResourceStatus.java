package org.clusworker.host;

import java.time.Instant;
import java.util.List;

/**
 * An immutable snapshot of one resource, readable at any time without blocking.
 *
 * @param name            the resource
 * @param type            its type name
 * @param state           its state
 * @param since           when it entered {@code state}
 * @param checkpoint      last progress checkpoint of the pending operation (0 if none)
 * @param progress        last progress message of the pending operation ({@code null} if none)
 * @param restarts        restarts within the current restart period
 * @param lastFailure     why it last failed ({@code null} if it never has)
 * @param nextAttempt     when the host will next try to bring it online after a failure ({@code null} if not planned)
 * @param dependsOn       the resources it depends on
 */
public record ResourceStatus(String name, String type, ResourceState state, Instant since, long checkpoint,
                             String progress, int restarts, String lastFailure, Instant nextAttempt,
                             List<String> dependsOn) {

    public ResourceStatus {
        dependsOn = List.copyOf(dependsOn);
    }
}
