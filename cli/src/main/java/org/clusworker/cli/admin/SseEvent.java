package org.clusworker.cli.admin;

/**
 * One Server-Sent Event as a client reads it.
 *
 * @param id    the last event id seen so far on the stream ({@code id:} persists, as in the SSE
 *              specification), or {@code null} if there was none
 * @param event the {@code event:} field, {@code message} if there was none
 * @param data  the {@code data:} lines, joined by {@code \n}
 */
public record SseEvent(String id, String event, String data) {
}
