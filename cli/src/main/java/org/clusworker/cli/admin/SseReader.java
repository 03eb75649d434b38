package org.clusworker.cli.admin;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reads Server-Sent Events from a text stream, as the SSE specification's parser does: lines end in
 * LF, CR or CRLF; {@code id}, {@code event} and {@code data} fields (a space after the colon is
 * dropped); comments ({@code :...}) and other fields ignored; a blank line dispatches the event, if it
 * has data. Not thread-safe: one reader per stream, on one thread.
 */
public final class SseReader {

    private final BufferedReader in;
    private String lastId;

    public SseReader(BufferedReader in) {
        this.in = in;
    }

    /**
     * The next event; blocks until one is complete.
     *
     * @return {@code null} at the end of the stream (an incomplete last event is dropped)
     */
    public SseEvent next() throws IOException {
        String event = null;
        StringBuilder data = null;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new SseEvent(lastId, event == null ? "message" : event, data.toString());
                }
                event = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + (line.startsWith(" ", colon + 1) ? 2 : 1));
            switch (field) {
                case "id" -> lastId = value.indexOf('\0') >= 0 ? lastId : value;
                case "event" -> event = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> { } // retry, and fields of later versions
            }
        }
        return null;
    }
}
