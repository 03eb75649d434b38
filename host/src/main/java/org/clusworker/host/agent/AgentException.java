package org.clusworker.host.agent;

/** An agent's report that an entry point failed, with a message that says what failed and why. */
public class AgentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AgentException(String message) {
        super(message);
    }

    public AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
