package org.clusworker.cli;

import org.clusworker.host.ResourceState;
import picocli.CommandLine.Command;

/** {@code clusworker offline NAME}: asks a running host to take a resource offline. */
@Command(name = "offline", mixinStandardHelpOptions = true,
        description = "Asks a running host to take a resource offline.")
final class OfflineCommand extends StateRequest {

    OfflineCommand() {
        super(ResourceState.OFFLINE);
    }
}
