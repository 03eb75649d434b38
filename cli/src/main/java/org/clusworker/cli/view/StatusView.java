package org.clusworker.cli.view;

import java.util.List;
import org.clusworker.host.ResourceEvent;
import org.clusworker.host.ResourceStatus;

/**
 * What a running host shows its operator: {@link LiveView} on a terminal, {@link PlainView} elsewhere.
 * {@link #onEvent} is called on the host's listener threads; {@link #refresh} and {@link #finish} on
 * the command's main thread.
 */
public interface StatusView {

    void onEvent(ResourceEvent event);

    /** Shows the current statuses (the live view redraws; the plain view prints nothing). */
    void refresh(List<ResourceStatus> statuses);

    /** Prints a line of the command's own (start, shutdown). */
    void message(String line);

    /** Shows the final statuses once the host has stopped. */
    void finish(List<ResourceStatus> statuses);
}
