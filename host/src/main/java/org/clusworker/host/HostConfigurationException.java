package org.clusworker.host;

import java.util.List;

/**
 * The host's resources do not form a valid configuration: unknown types, unknown or cyclic
 * dependencies, duplicate names, invalid properties. Lists every problem at once.
 */
public final class HostConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> errors;

    public HostConfigurationException(List<String> errors) {
        super(errors.size() == 1 ? errors.get(0)
                : errors.size() + " configuration errors:" + System.lineSeparator() + "  " + String.join(System.lineSeparator() + "  ", errors));
        this.errors = List.copyOf(errors);
    }

    /** Every problem, one message each, naming the resource and the field. */
    public List<String> errors() {
        return errors;
    }
}
