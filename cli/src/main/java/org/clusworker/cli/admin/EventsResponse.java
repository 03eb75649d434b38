package org.clusworker.cli.admin;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer to {@code GET /v1/events}: a subscription written as {@code text/event-stream} until the
 * broker closes (the host stops) or the client goes. Runs on the exchange's own thread (a virtual
 * thread of the API's executor), which is the only one that waits for the client.
 */
final class EventsResponse {

    private static final Logger LOG = LoggerFactory.getLogger(EventsResponse.class);

    private EventsResponse() {
    }

    /**
     * Sends the headers at once (the client then knows it is subscribed), then each frame as it comes,
     * flushing whenever nothing else is ready, and a keep-alive after {@code keepAlive} of silence.
     * Returns when the broker has closed and the subscription is drained, when the client is gone (a
     * write fails), or when interrupted (the server is stopping; the interrupt status is kept). Closes
     * the subscription in every case.
     */
    static void write(HttpExchange ex, EventSubscription subscription, Duration keepAlive) {
        try (subscription) {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(200, 0);
            OutputStream body = ex.getResponseBody();
            body.flush(); // the server buffers the headers (JDK 22+); the client waits for them to know it is subscribed
            for (byte[] frame = subscription.next(keepAlive); frame != null; frame = subscription.next(keepAlive)) {
                body.write(frame);
                if (!subscription.hasNext()) {
                    body.flush();
                }
            }
        } catch (IOException e) {
            LOG.debug("admin API: event stream to {} ended: {}", ex.getRemoteAddress(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
