package org.clusworker.cli.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.clusworker.host.ResourceState;
import org.clusworker.host.ResourceStatus;

/**
 * The demo's built-in setup: its configuration (from {@code demo.yaml}, with this machine's JDK,
 * class path and a free port filled in) and when it is complete: every resource Online, {@code jobs}
 * restarted after its crash, and everything steady for a moment.
 */
public final class DemoSetup {

    /** How long everything must stay Online before the demo ends. */
    static final Duration STEADY = Duration.ofSeconds(2);

    private DemoSetup() {
    }

    /** The demo's configuration text for a state directory. */
    public static String configuration(Path stateDirectory) {
        String template;
        try (InputStream in = DemoSetup.class.getResourceAsStream("demo.yaml")) {
            if (in == null) {
                throw new IllegalStateException("demo.yaml is missing from the class path");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = freePort();
        return template
                .replace("@STATE@", quoted(stateDirectory.toAbsolutePath().toString()))
                .replace("@JAVA@", quoted(Path.of(System.getProperty("java.home"), "bin", "java").toString()))
                .replace("@CLASSPATH@", quoted(absoluteClassPath()))
                .replace("@PORT@", Integer.toString(port));
    }

    /** This JVM's class path with absolute entries: the web process runs in its own work directory. */
    private static String absoluteClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.isBlank())
                .map(e -> Path.of(e).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /** A double-quoted YAML scalar (JSON's string syntax is valid YAML). */
    private static String quoted(String s) {
        try {
            return new ObjectMapper().writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the demo's web server", e);
        }
    }

    /**
     * The demo's goal: {@code jobs} has failed and been restarted, and every resource has been Online for
     * {@link #STEADY}. Confined to the thread that asks (the session's main thread).
     */
    public static final class Goal {
        private Instant steadySince;

        public boolean reached(List<ResourceStatus> statuses, Instant now) {
            boolean restarted = statuses.stream().anyMatch(s -> s.name().equals("jobs") && s.lastFailure() != null);
            boolean allOnline = !statuses.isEmpty() && statuses.stream().allMatch(s -> s.state() == ResourceState.ONLINE);
            if (!restarted || !allOnline) {
                steadySince = null;
                return false;
            }
            if (steadySince == null) {
                steadySince = now;
            }
            return !now.isBefore(steadySince.plus(STEADY));
        }
    }
}
