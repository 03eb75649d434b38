package org.clusworker.cli.config;

import org.clusworker.cluster.ClusterSpec;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.clusworker.host.ResourceSpec;

/**
 * A configuration file, read and checked (each resource's parameters validated by its type).
 *
 * @param source          the file it came from
 * @param name            the host's name
 * @param stateDirectory  where the host keeps its state (absolute)
 * @param adminAddress    the loopback address the admin API listens on
 * @param adminPort       its port; 0 for any free port
 * @param shutdownTimeout how long an orderly shutdown may take; empty for the host's default
 * @param resources       the resources, in file order
 * @param cluster         the cluster this host is a node of; empty for a host on its own
 */
public record HostConfig(Path source, String name, Path stateDirectory, InetAddress adminAddress, int adminPort,
                         Optional<Duration> shutdownTimeout, List<ResourceSpec> resources, Optional<ClusterSpec> cluster) {

    public HostConfig {
        resources = List.copyOf(resources);
    }
}
