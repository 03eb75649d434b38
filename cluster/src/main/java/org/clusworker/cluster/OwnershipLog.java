package org.clusworker.cluster;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's ownership events, appended to a file ({@code cluster.ownershipLog}) for audits and for the
 * chaos harness's history checker: one line per event, each written with a single {@code write} on an
 * {@code O_APPEND} descriptor (so several nodes on one machine may share the file without tearing lines).
 *
 * <pre>NS ~ NODE EVENT GROUP EPOCH SESSION [DETAIL...]</pre>
 *
 * {@code NS} is the node's monotonic clock ({@code System.nanoTime}, CLOCK_MONOTONIC on Linux: comparable
 * between the processes of one machine); GROUP and EPOCH are {@code -} where they do not apply; SESSION is
 * the ZooKeeper session in hex. The events: {@code join}, {@code acquire} (detail: {@code start|move|failover}
 * and the reason), {@code placement} (just after each {@code acquire}: {@code index K} and, as one line of JSON,
 * the placement snapshot the decision was taken on, in {@code cluster status --json}'s {@code snapshot} form,
 * with the request; K is the node's place among the eligible candidates), {@code online}, {@code offlining} and {@code release} (detail: {@code planned|unplanned}),
 * {@code lost}, {@code lease-stop}, {@code fenced} (detail: ms after the stop began), {@code lease-restart},
 * {@code stuck}, {@code failed}, {@code maintenance} (detail: {@code paused|draining|none}), {@code fence-self},
 * and {@code lease} after every successful lease probe (detail: the fence time, by which every group of the
 * session must be stopped, and the earliest takeover, before which no other node may start them, in NS).
 *
 * <p>A write that fails is logged once and the log goes quiet: it never stops a decision.
 */
final class OwnershipLog {

    private static final Logger LOG = LoggerFactory.getLogger(OwnershipLog.class);

    /** No log: every event is dropped. */
    static final OwnershipLog NONE = new OwnershipLog(null, null, "-", () -> 0L);

    private final Path path;
    private final String node;
    private final LongSupplier nanos;
    @GuardedBy("this")
    private OutputStream out;
    @GuardedBy("this")
    private boolean failed;

    private OwnershipLog(Path path, OutputStream out, String node, LongSupplier nanos) {
        this.path = path;
        this.out = out;
        this.node = node;
        this.nanos = nanos;
    }

    /** Opens (creates, appends to) {@code path}; {@link #NONE} when it is null. */
    static OwnershipLog open(Path path, String node, LongSupplier nanos) {
        if (path == null) {
            return NONE;
        }
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new OwnershipLog(path, Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE), node, nanos);
        } catch (IOException e) {
            LOG.error("Node {}: cannot open the ownership log {}: {}; it is not kept", node, path, e.toString());
            return NONE;
        }
    }

    /** One event; {@code group} null and {@code epoch} below 0 print as {@code -}. */
    void event(String event, String group, long epoch, long session, String detail) {
        if (path == null) {
            return;
        }
        StringBuilder b = new StringBuilder(96).append(nanos.getAsLong()).append(" ~ ").append(node).append(' ').append(event).append(' ')
                .append(group == null ? "-" : group).append(' ').append(epoch < 0 ? "-" : Long.toString(epoch)).append(' ')
                .append(session == 0 ? "-" : Long.toHexString(session));
        if (detail != null && !detail.isBlank()) {
            b.append(' ').append(detail.replace('\n', ' ').replace('\r', ' '));
        }
        b.append('\n');
        write(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A node-wide event (join, lease, maintenance, fence-self). */
    void event(String event, long session, String detail) {
        event(event, null, -1, session, detail);
    }

    boolean enabled() {
        return path != null;
    }

    private synchronized void write(byte[] line) {
        if (failed || out == null) {
            return;
        }
        try {
            out.write(line);
        } catch (IOException e) {
            failed = true;
            LOG.error("Node {}: cannot write the ownership log {}: {}; it is not kept from now on", node, path, e.toString());
        }
    }

    synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", path, e.toString());
            }
            out = null;
        }
    }
}
