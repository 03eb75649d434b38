package org.clusworker.cli.admin;

/** A request to a host's admin API failed: the host answered with an error, or could not be reached. */
public final class AdminException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /** @param status the HTTP status, or 0 if the host did not answer */
    public AdminException(int status, String message) {
        super(message);
        this.status = status;
    }

    public AdminException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status the host answered, or 0 if it did not answer. */
    public int status() {
        return status;
    }
}
