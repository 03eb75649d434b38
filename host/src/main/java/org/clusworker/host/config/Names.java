package org.clusworker.host.config;

import java.util.regex.Pattern;

/**
 * The syntax of the names of hosts and resources, in one place for the host, the configuration and the
 * admin API: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}, starting with a letter or a digit
 * (so a name is also a safe file name and URL path segment).
 */
public final class Names {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** What a valid name is, for messages. */
    public static final String EXPECTED = "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";

    private Names() {
    }

    /** Whether {@code name} is a valid name. */
    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * @return {@code name}
     * @throws IllegalArgumentException naming {@code what} and the expected form, if it is not valid
     */
    public static String require(String what, String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException(what + ": '" + name + "' (expected: " + EXPECTED + ")");
        }
        return name;
    }
}
