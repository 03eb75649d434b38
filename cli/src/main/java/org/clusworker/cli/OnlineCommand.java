package org.clusworker.cli;

import org.clusworker.host.ResourceState;
import picocli.CommandLine.Command;

/** {@code clusworker online NAME}: asks a running host to bring a resource online. */
@Command(name = "online", mixinStandardHelpOptions = true,
        description = "Asks a running host to bring a resource online.")
final class OnlineCommand extends StateRequest {

    OnlineCommand() {
        super(ResourceState.ONLINE);
    }
}
