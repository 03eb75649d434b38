package org.clusworker.cluster.zk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the cluster keeps in ZooKeeper, as JSON records (CLUSTER.md §6.2), and their encoding.
 */
public final class Records {

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Records() {
    }

    /** The phases of a group, as its breadcrumb records them. */
    public enum Phase {
        /** No node runs it; {@code clean} says whether its last owner stopped it. */
        OFFLINE,
        /** Its owner is bringing it online. */
        ONLINING,
        /** Online on its owner. */
        ONLINE,
        /** Its owner is taking it offline (a planned move, a drain, a failover request). */
        OFFLINING,
        /** Past its failover threshold: left offline until RetryPeriodOnFailure. */
        FAILED,
        /** Its owner could not confirm it stopped: nobody else may start it until the owner fenced itself or an operator confirmed it offline. */
        STUCK
    }

    /**
     * {@code members/<node>}: a node that is up.
     *
     * @param draining it is moving its groups away: no group is placed on it
     */
    public record Member(String node, long pid, String sessionId, String configDigest, long startedAt, boolean draining) {
    }

    /** A node's maintenance state, set by an operator. */
    public enum Maintenance {
        /** It hosts nothing new and keeps what it has. */
        PAUSED,
        /** Paused, and it moves every group it owns away, one at a time; then PAUSED. */
        DRAINING
    }

    /**
     * {@code maintenance/<node>}: an operator paused or drains the node; it stays so, across restarts,
     * until resumed (the znode deleted).
     */
    public record NodeMaintenance(String node, Maintenance state, long since, String reason) {
    }

    /** {@code groups/<g>/owner}: who holds the group, with which epoch. */
    public record Owner(String node, long epoch, String sessionId) {
    }

    /**
     * {@code groups/<g>/state}: the breadcrumb.
     *
     * @param clean   its last owner stopped it cleanly: the next owner needs no takeover delay
     * @param planned its last owner released it for a planned move or a drain: the next acquisition does not
     *                count toward the failover threshold
     */
    public record State(long epoch, String node, Phase phase, boolean clean, long since, String reason, boolean planned) {

        /** A group never owned. */
        public static State initial() {
            return new State(0, null, Phase.OFFLINE, true, 0, "never owned", false);
        }
    }

    /** {@code groups/<g>/target}: a one-shot request to move the group ({@code node} null: best possible). */
    public record Target(String node, String reason, String requestId, long requestedAt) {
    }

    /** One entry of {@code groups/<g>/failovers}: a change of owner. */
    public record Failover(long epoch, String from, String to, String reason, long time, boolean planned) {
    }

    /**
     * {@code groups/<g>/failovers}: the recent changes of owner, newest last, bounded.
     *
     * @param lastFailedAt when the group last went Failed (epoch millis; 0: never): the failovers before it
     *                     no longer count toward the threshold once it is tried again
     */
    public record History(List<Failover> entries, long lastFailedAt) {

        /** At most this many entries are kept. */
        public static final int LIMIT = 100;

        public History {
            entries = List.copyOf(entries == null ? List.of() : entries);
        }

        public History plus(Failover f) {
            List<Failover> all = new java.util.ArrayList<>(entries);
            all.add(f);
            while (all.size() > LIMIT) {
                all.removeFirst();
            }
            return new History(all, lastFailedAt);
        }

        /** The same history, the group having gone Failed at {@code time}. */
        public History failedAt(long time) {
            return new History(entries, time);
        }
    }

    public static byte[] encode(Object record) {
        try {
            return JSON.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + record, e);
        }
    }

    /**
     * @throws CorruptRecordException naming the path, if the bytes are not such a record
     */
    public static <T> T decode(byte[] data, Class<T> type, String path) {
        if (data == null || data.length == 0) {
            throw new CorruptRecordException(path + ": empty (expected a " + type.getSimpleName() + " record)");
        }
        try {
            return JSON.readValue(data, type);
        } catch (JsonProcessingException e) {
            throw new CorruptRecordException(path + ": not a " + type.getSimpleName() + " record: "
                    + new String(data, StandardCharsets.UTF_8) + " (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new CorruptRecordException(path + ": unreadable " + type.getSimpleName() + " record: " + e.getMessage());
        }
    }

    /** Data in ZooKeeper that is not what clusworker writes there. */
    public static final class CorruptRecordException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CorruptRecordException(String message) {
            super(message);
        }
    }
}
