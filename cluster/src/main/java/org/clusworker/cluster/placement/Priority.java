package org.clusworker.cluster.placement;

import java.util.Optional;

/**
 * A group's start priority (CLUSTER.md §1.8, Windows' group property Priority): after a node loss the
 * groups are placed and started highest first; a {@link #NO_AUTO_START} group is placed (its new owner
 * acquires it) but stays offline until an operator moves or starts it.
 */
public enum Priority {
    /** Windows' High, 3000. */
    HIGH("high", 3000),
    /** Windows' Medium, 2000: the default. */
    MEDIUM("medium", 2000),
    /** Windows' Low, 1000. */
    LOW("low", 1000),
    /** Windows' Disabled, 0 (GUI: No Auto Start): fails over, but is not started automatically. */
    NO_AUTO_START("no-auto-start", 0);

    /** Windows' default. */
    public static final Priority DEFAULT = MEDIUM;

    private final String text;
    private final int windowsValue;

    Priority(String text, int windowsValue) {
        this.text = text;
        this.windowsValue = windowsValue;
    }

    /** As the configuration writes it: {@code high}, {@code medium}, {@code low}, {@code no-auto-start}. */
    public String text() {
        return text;
    }

    /** Windows' value of the group property Priority: 3000, 2000, 1000, 0. */
    public int windowsValue() {
        return windowsValue;
    }

    /** Whether a start or failover starts the group (all but {@link #NO_AUTO_START}). */
    public boolean autoStart() {
        return this != NO_AUTO_START;
    }

    /** The priority the configuration writes as {@code text}. */
    public static Optional<Priority> of(String text) {
        for (Priority p : values()) {
            if (p.text.equals(text)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return text;
    }
}
