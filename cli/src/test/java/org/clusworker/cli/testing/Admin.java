package org.clusworker.cli.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.clusworker.cli.admin.AdminClient;
import org.clusworker.cli.admin.AdminException;
import org.clusworker.cli.admin.AdminFile;
import org.clusworker.cli.admin.AdminJson;
import org.clusworker.cli.admin.StatusJson;
import org.clusworker.host.ResourceState;

/** Watching a host under test through its admin API. */
public final class Admin {

    private Admin() {
    }

    public static AdminClient client(Path stateDir) {
        return new AdminClient(AdminFile.read(stateDir, AdminJson.mapper()), AdminJson.mapper());
    }

    /** Waits until the host's admin API answers. */
    public static AdminClient await(Path stateDir, HostProcess host, Duration timeout) {
        if (!HostProcess.Poll.until(() -> Files.exists(AdminFile.in(stateDir)), timeout)) {
            throw new AssertionError("no admin.json in " + stateDir + " within " + timeout + "\n" + host);
        }
        return client(stateDir);
    }

    public static Optional<StatusJson> status(AdminClient client, String name) {
        try {
            return Optional.of(client.status(name));
        } catch (AdminException e) {
            return Optional.empty();
        }
    }

    /** Waits until the resource is in {@code state}; fails the test, showing the host's output, if not. */
    public static StatusJson awaitState(AdminClient client, String name, ResourceState state, HostProcess host, Duration timeout) {
        if (!HostProcess.Poll.until(() -> status(client, name).map(s -> s.state().equals(state.name())).orElse(false), timeout)) {
            throw new AssertionError(name + " not " + state + " within " + timeout + " (now " + status(client, name) + ")\n" + host);
        }
        return client.status(name);
    }
}
