package org.clusworker.cli.admin;

import java.time.Instant;
import java.util.List;
import org.clusworker.host.ResourceState;
import org.clusworker.host.ResourceStatus;

/**
 * One resource's status as the admin API writes it in JSON (and the client reads it back).
 *
 * @param state     the state's name, e.g. {@code ONLINE_PENDING}
 * @param stateCode its {@code CLUSTER_RESOURCE_STATE} number, e.g. 129
 * @param since     when it entered the state (ISO-8601)
 */
public record StatusJson(String name, String type, String state, int stateCode, String since, long checkpoint,
                         String progress, int restarts, String lastFailure, String nextAttempt, List<String> dependsOn) {

    public static StatusJson of(ResourceStatus s) {
        return new StatusJson(s.name(), s.type(), s.state().name(), s.state().code(), str(s.since()), s.checkpoint(),
                s.progress(), s.restarts(), s.lastFailure(), str(s.nextAttempt()), s.dependsOn());
    }

    /** Back to the host's record (for the status table). */
    public ResourceStatus toStatus() {
        return new ResourceStatus(name, type, ResourceState.valueOf(state), since == null ? null : Instant.parse(since),
                checkpoint, progress, restarts, lastFailure, nextAttempt == null ? null : Instant.parse(nextAttempt),
                dependsOn == null ? List.of() : dependsOn);
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }
}
