package org.clusworker.agents.ocf;

/**
 * The exit codes of OCF resource agent actions, as the OCF Resource Agent API defines them
 * (1.1, with the 1.0 names in the descriptions).
 */
enum OcfExitCode {
    SUCCESS(0, "success"),
    ERR_GENERIC(1, "generic error"),
    ERR_ARGS(2, "invalid arguments"),
    ERR_UNIMPLEMENTED(3, "action not implemented"),
    ERR_PERM(4, "insufficient permissions"),
    ERR_INSTALLED(5, "required software not installed"),
    ERR_CONFIGURED(6, "misconfigured"),
    NOT_RUNNING(7, "not running"),
    RUNNING_PROMOTED(8, "running, promoted (master)"),
    FAILED_PROMOTED(9, "failed, promoted (master)"),
    DEGRADED(190, "running, degraded"),
    DEGRADED_PROMOTED(191, "running promoted, degraded"),
    UNKNOWN(-1, "not an OCF exit code");

    private final int code;
    private final String description;

    OcfExitCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    static OcfExitCode of(int code) {
        for (OcfExitCode c : values()) {
            if (c.code == code && c != UNKNOWN) {
                return c;
            }
        }
        return UNKNOWN;
    }

    /** Whether a monitor with this result means the resource runs (possibly promoted or degraded). */
    boolean meansRunning() {
        return switch (this) {
            case SUCCESS, RUNNING_PROMOTED, DEGRADED, DEGRADED_PROMOTED -> true;
            default -> false;
        };
    }

    /** E.g. {@code "exit 7 (OCF_NOT_RUNNING: not running)"}. */
    static String describe(int code) {
        OcfExitCode c = of(code);
        return c == UNKNOWN ? "exit " + code + " (" + c.description + ")"
                : "exit " + code + " (OCF_" + c.name() + ": " + c.description + ")";
    }
}
