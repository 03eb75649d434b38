package org.clusworker.agents.process;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.clusworker.agents.support.ProcessTree;

/**
 * A check that a process is ready and healthy: a TCP port accepts connections, an HTTP URL answers
 * 2xx, or a command exits 0. Each attempt is bounded by a timeout and blocks the calling thread.
 */
sealed interface HealthCheck {

    /** Whether the check passes now. Never takes much longer than {@code timeout}. */
    boolean passes(Duration timeout);

    /** @param host the host to connect to (default 127.0.0.1) */
    record Tcp(String host, int port) implements HealthCheck {
        @Override
        public boolean passes(Duration timeout) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return "tcp " + host + ":" + port;
        }
    }

    record Http(URI url) implements HealthCheck {
        @Override
        public boolean passes(Duration timeout) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                return r.statusCode() / 100 == 2;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                client.shutdownNow();
            }
        }

        @Override
        public String toString() {
            return "http " + url;
        }
    }

    /** Runs {@code command} in {@code directory} with {@code environment}; passes if it exits 0 in time. */
    record Command(List<String> command, Path directory, Map<String, String> environment, boolean inherit)
            implements HealthCheck {
        @Override
        public boolean passes(Duration timeout) {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            if (!inherit) {
                pb.environment().clear();
            }
            pb.environment().putAll(environment);
            Process p = null;
            try {
                p = ProcessTree.start(pb);
                if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    ProcessTree.killTree(p.toHandle());
                    return false;
                }
                return p.exitValue() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                ProcessTree.killTree(p.toHandle());
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public String toString() {
            return "command " + String.join(" ", command);
        }
    }
}
