package org.clusworker.host.agent;

import java.util.Objects;

/**
 * One problem with one property of a resource.
 *
 * @param property the property's name
 * @param message  what is wrong, e.g. {@code "required, but missing"}
 */
public record PropertyError(String property, String message) {

    public PropertyError {
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return property + ": " + message;
    }
}
