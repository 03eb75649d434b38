package org.clusworker.cli.config;

import java.nio.file.Path;

/**
 * One problem in a configuration file, where it is and what is wrong.
 *
 * @param file    the file
 * @param line    1-based line, or 0 if the problem has no place in the file
 * @param column  1-based column, or 0
 * @param field   the field's path, e.g. {@code resources[db].parameters.command}
 * @param message what is wrong, e.g. {@code "required, but missing"}
 */
public record ConfigError(Path file, int line, int column, String field, String message) {

    /** E.g. {@code clusworker.yaml:12:5: resources[db].pendingTimeout: '5' (expected a duration such as 30s)}. */
    @Override
    public String toString() {
        String where = line > 0 ? file + ":" + line + ":" + column : file.toString();
        return where + ": " + (field.isEmpty() ? "" : field + ": ") + message;
    }
}
