package org.clusworker.host;

/** A request named a resource the host does not have. */
public final class UnknownResourceException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String resource;

    public UnknownResourceException(String resource) {
        super("Unknown resource: " + resource);
        this.resource = resource;
    }

    /** The name that was not found. */
    public String resource() {
        return resource;
    }
}
