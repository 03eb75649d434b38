package org.clusworker.cli;

/** The exit codes of the {@code clusworker} command, all in one place. */
public final class ExitCodes {

    /** Done as asked (also: an orderly shutdown after SIGINT or SIGTERM). */
    public static final int OK = 0;
    /** Something failed at run time: a host that cannot start, a host that does not answer, a demo that did not complete. */
    public static final int FAILURE = 1;
    /** The command line or the configuration is wrong (unknown option, config errors, unknown resource). */
    public static final int USAGE = 2;
    /** {@code run} stopped in order, but at least one resource was Failed when it stopped (each is named). */
    public static final int RESOURCES_FAILED = 3;
    /** A cluster node ended itself at once because a group's stop failed there ({@code onStopFailure: fence-self}). */
    public static final int FENCED = 4;

    private ExitCodes() {
    }
}
