package org.clusworker.cli.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.clusworker.host.ResourcePolicy;
import org.clusworker.host.RestartAction;

/**
 * Reads the policy fields of {@code defaults} or of one resource over a base policy: only the fields
 * written change. Problems go to the section's {@link Problems}.
 */
final class PolicyReader {

    static final Set<String> KEYS = Set.of("pendingTimeout", "operationCeiling", "deadlockTimeout",
            "looksAliveInterval", "isAliveInterval", "restart");
    private static final Set<String> RESTART_KEYS = Set.of("action", "threshold", "period", "delay",
            "retryPeriodOnFailure", "backoff");
    private static final Set<String> BACKOFF_KEYS = Set.of("multiplier", "maxDelay", "jitter", "resetAfter");

    /** Backoff fields not written take these values. */
    static final ResourcePolicy.Backoff DEFAULT_BACKOFF =
            new ResourcePolicy.Backoff(2.0, Duration.ofMinutes(1), 0.1, Duration.ofMinutes(10));

    private PolicyReader() {
    }

    /** The policy, or {@code base} unchanged where a field has a problem. */
    static ResourcePolicy read(Section s, ResourcePolicy base) {
        Duration pending = positive(s, "pendingTimeout").orElse(base.pendingTimeout());
        Duration ceiling = s.has("operationCeiling") && isOff(s, "operationCeiling") ? null
                : positive(s, "operationCeiling").orElse(base.operationCeiling());
        Duration deadlock = positive(s, "deadlockTimeout").orElse(base.deadlockTimeout());
        Duration looks = positive(s, "looksAliveInterval").orElse(base.looksAliveInterval());
        Duration is = positive(s, "isAliveInterval").orElse(base.isAliveInterval());
        RestartAction action = base.restartAction();
        int threshold = base.restartThreshold();
        Duration period = base.restartPeriod();
        Duration delay = base.restartDelay();
        Duration retry = base.retryPeriodOnFailure();
        ResourcePolicy.Backoff backoff = base.backoff();
        Optional<Section> restart = s.section("restart");
        if (restart.isPresent()) {
            Section r = restart.get();
            r.rejectUnknown(RESTART_KEYS);
            action = r.string("action").flatMap(a -> action(r, a)).orElse(action);
            threshold = r.integer("threshold", 0, 1_000_000).orElse(threshold);
            period = positive(r, "period").orElse(period);
            delay = r.duration("delay").orElse(delay);
            retry = positive(r, "retryPeriodOnFailure").orElse(retry);
            if (r.has("backoff") && isOff(r, "backoff")) {
                backoff = null;
            } else {
                backoff = r.section("backoff").map(b -> backoff(b, base.backoff())).orElse(backoff);
            }
        }
        return new ResourcePolicy(pending, ceiling, deadlock, looks, is, action, threshold, period, delay, retry, backoff);
    }

    private static ResourcePolicy.Backoff backoff(Section b, ResourcePolicy.Backoff base) {
        b.rejectUnknown(BACKOFF_KEYS);
        ResourcePolicy.Backoff from = base != null ? base : DEFAULT_BACKOFF;
        return new ResourcePolicy.Backoff(
                b.decimal("multiplier", 1.0, 1000.0).orElse(from.multiplier()),
                positive(b, "maxDelay").orElse(from.maxDelay()),
                b.decimal("jitter", 0.0, 1.0).orElse(from.jitter()),
                positive(b, "resetAfter").orElse(from.resetAfter()));
    }

    private static Optional<RestartAction> action(Section r, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (t) {
            case "none" -> Optional.of(RestartAction.NONE);
            case "restart" -> Optional.of(RestartAction.RESTART);
            case "restart-then-failover" -> Optional.of(RestartAction.RESTART_THEN_FAILOVER);
            default -> {
                r.problem("action", "'" + text + "' (expected one of: none, restart, restart-then-failover)");
                yield Optional.empty();
            }
        };
    }

    private static boolean isOff(Section s, String key) {
        return s.node(key).map(n -> n instanceof Node.Scalar sc && (sc.text().equals("off") || sc.text().equals("none")
                || sc.kind() == Node.Kind.BOOLEAN && sc.text().equals("false"))).orElse(false);
    }

    private static Optional<Duration> positive(Section s, String key) {
        return s.duration(key).filter(d -> {
            if (d.isZero()) {
                s.problem(key, "0 (expected: > 0)");
                return false;
            }
            return true;
        });
    }
}
