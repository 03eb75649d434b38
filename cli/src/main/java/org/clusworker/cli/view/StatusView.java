package org.clusworker.cli.view;

import java.util.List;
import org.clusworker.host.HostEvent;
import org.clusworker.host.HostEventListener;
import org.clusworker.host.ResourceStatus;

/**
 * What a running host shows its operator: {@link LiveView} on a terminal, {@link PlainView} elsewhere.
 * Both are driven by the host's events: {@link #onEvent} is called on the host's event thread (or a
 * stream reader's), every other method on the command's main thread.
 */
public interface StatusView extends HostEventListener {

    /** A transition, progress report, failure, planned retry or host event, in sequence order. */
    @Override
    void onEvent(HostEvent event);

    /** The statuses to start from, before the first event (and again after missed events). */
    void reset(List<ResourceStatus> statuses);

    /** Shows the statuses as the events have left them (the live view redraws; the plain view prints nothing). */
    void refresh();

    /** Prints a line of the command's own (start, shutdown). */
    void message(String line);

    /** Shows the final statuses once the host has stopped. */
    void finish(List<ResourceStatus> statuses);
}
