package org.clusworker.cluster.placement;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.clusworker.host.time.Durations;

/** The argument checks of this package's records, with messages that name what is wrong. */
final class Checks {

    private Checks() {
    }

    static String name(String what, String name) {
        Objects.requireNonNull(name, what);
        if (name.isBlank()) {
            throw new IllegalArgumentException(what + ": '" + name + "' (expected: a non-blank name)");
        }
        return name;
    }

    static Duration notNegative(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + ": " + format(d) + " (expected: >= 0)");
        }
        return d;
    }

    /** Throws naming {@code what} and the first name that appears twice. */
    static void unique(String what, Collection<String> names) {
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw new IllegalArgumentException(what + ": " + names + " (expected: each once, but " + n + " appears twice)");
            }
        }
    }

    static String format(Duration d) {
        return Durations.format(d);
    }
}
