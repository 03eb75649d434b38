package org.clusworker.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.clusworker.worker.Registration;

/**
 * CONTRACT SKELETON: the public signatures below are fixed (other modules compile against them);
 * the bodies are to be implemented.
 */
public final class ResourceHost implements AutoCloseable {

    private ResourceHost() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Opens every agent and brings every resource online, in dependency order. Returns at once. */
    public void start() {
        throw new UnsupportedOperationException("not implemented");
    }

    /** @throws UnknownResourceException if there is no such resource */
    public void requestOnline(String name) {
        throw new UnsupportedOperationException("not implemented");
    }

    /** @throws UnknownResourceException if there is no such resource */
    public void requestOffline(String name) {
        throw new UnsupportedOperationException("not implemented");
    }

    /** @throws UnknownResourceException if there is no such resource */
    public ResourceStatus status(String name) {
        throw new UnsupportedOperationException("not implemented");
    }

    /** Every resource, in configuration order. Never blocks. */
    public List<ResourceStatus> statuses() {
        throw new UnsupportedOperationException("not implemented");
    }

    public Registration addListener(ResourceListener listener) {
        throw new UnsupportedOperationException("not implemented");
    }

    /** Takes everything offline in reverse dependency order within the shutdown timeout, then terminates what is left. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not implemented");
    }

    public static final class Builder {
        public Builder name(String hostName) {
            throw new UnsupportedOperationException("not implemented");
        }

        public Builder stateDirectory(Path directory) {
            throw new UnsupportedOperationException("not implemented");
        }

        public Builder types(ResourceTypes types) {
            throw new UnsupportedOperationException("not implemented");
        }

        public Builder resource(ResourceSpec spec) {
            throw new UnsupportedOperationException("not implemented");
        }

        public Builder listener(ResourceListener listener) {
            throw new UnsupportedOperationException("not implemented");
        }

        public Builder shutdownTimeout(Duration timeout) {
            throw new UnsupportedOperationException("not implemented");
        }

        /** @throws HostConfigurationException listing every problem (unknown type or dependency, cycle, duplicate name, invalid properties) */
        public ResourceHost build() {
            throw new UnsupportedOperationException("not implemented");
        }
    }
}
