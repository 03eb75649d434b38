package org.clusworker.cli.config;

import java.util.List;

/** A configuration file with problems; lists every one of them. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(errors.size() == 1 ? errors.get(0).toString() : errors.size() + " configuration errors:"
                + System.lineSeparator() + String.join(System.lineSeparator(), errors.stream().map(e -> "  " + e).toList()));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
