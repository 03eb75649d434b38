package org.clusworker.cli.admin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The JSON mapper of the admin API and of {@code status --json}. */
public final class AdminJson {

    private AdminJson() {
    }

    /** A new mapper: tolerant of fields it does not know (so newer hosts and older clients get along). */
    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }
}
