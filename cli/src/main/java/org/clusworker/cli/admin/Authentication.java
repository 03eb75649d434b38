package org.clusworker.cli.admin;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Whether a request proves it may read: one check (the API's bearer token), or several OR-ed together
 * with {@link #or} (e.g. the token, or a web page's session cookie). A check looks at the request's
 * headers only and never blocks.
 */
@FunctionalInterface
public interface Authentication {

    boolean admits(HttpExchange exchange);

    /** Admits what this admits, or else what {@code other} admits. */
    default Authentication or(Authentication other) {
        return ex -> admits(ex) || other.admits(ex);
    }

    /** Exactly one {@code Authorization: Bearer TOKEN} header with this token (compared in constant time). */
    static Authentication bearer(String token) {
        byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        return ex -> {
            List<String> values = ex.getRequestHeaders().get("Authorization");
            return values != null && values.size() == 1
                    && MessageDigest.isEqual(expected, values.get(0).getBytes(StandardCharsets.UTF_8));
        };
    }
}
