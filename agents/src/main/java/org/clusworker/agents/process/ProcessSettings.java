package org.clusworker.agents.process;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clusworker.agents.support.ProcessTree;
import org.clusworker.agents.support.PropertyReader;
import org.clusworker.host.agent.PropertyError;

/**
 * The parameters of a {@code process} resource, read from its properties.
 *
 * <table>
 * <caption>Parameters</caption>
 * <tr><th>name</th><th>meaning</th><th>default</th></tr>
 * <tr><td>{@code command}</td><td>a list (run as is) or a string (run with {@code /bin/sh -c})</td><td>required</td></tr>
 * <tr><td>{@code workingDirectory}</td><td>where it runs</td><td>the resource's work directory</td></tr>
 * <tr><td>{@code environment.NAME}</td><td>environment variables to set</td><td></td></tr>
 * <tr><td>{@code inheritEnvironment}</td><td>start from the host's environment</td><td>true</td></tr>
 * <tr><td>{@code stopSignal}</td><td>TERM, INT, HUP, QUIT, KILL, USR1 or USR2</td><td>TERM</td></tr>
 * <tr><td>{@code stopTimeout}</td><td>wait after the stop signal before SIGKILL</td><td>10s</td></tr>
 * <tr><td>{@code stdout}, {@code stderr}</td><td>log files (appended to)</td><td>work directory's stdout.log, stderr.log</td></tr>
 * <tr><td>{@code check.tcp | check.http | check.command}</td><td>readiness and health check</td><td>none</td></tr>
 * <tr><td>{@code check.interval}, {@code check.timeout}</td><td>readiness poll interval, one attempt's limit</td><td>500ms, 5s</td></tr>
 * </table>
 */
record ProcessSettings(List<String> command, Optional<Path> workingDirectory, Map<String, String> environment,
                       boolean inheritEnvironment, String stopSignal, Duration stopTimeout,
                       Optional<Path> stdout, Optional<Path> stderr, Optional<HealthCheck> check,
                       Duration checkInterval, Duration checkTimeout, List<PropertyError> errors) {

    static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

    static ProcessSettings read(Map<String, String> properties) {
        PropertyReader r = new PropertyReader(properties);
        List<String> command = r.command("command");
        if (command.isEmpty() && r.string("command").isEmpty()) {
            r.error("command", "required, but missing");
        }
        Optional<Path> dir = path(r, "workingDirectory");
        Map<String, String> env = r.map("environment");
        boolean inherit = r.bool("inheritEnvironment", true);
        String signal = r.string("stopSignal").map(s -> ProcessTree.signalName(s).orElseGet(() -> {
            r.error("stopSignal", "'" + s + "' (expected one of " + String.join(", ", ProcessTree.SIGNALS.stream().sorted().toList()) + ")");
            return "TERM";
        })).orElse("TERM");
        Duration stopTimeout = r.duration("stopTimeout", DEFAULT_STOP_TIMEOUT);
        Optional<Path> stdout = path(r, "stdout");
        Optional<Path> stderr = path(r, "stderr");
        Optional<HealthCheck> check = check(r, dir.orElse(null), env, inherit);
        Duration interval = r.duration("check.interval", Duration.ofMillis(500));
        Duration timeout = r.duration("check.timeout", Duration.ofSeconds(5));
        r.rejectUnknown();
        return new ProcessSettings(command, dir, env, inherit, signal, stopTimeout, stdout, stderr, check,
                interval, timeout, r.errors());
    }

    private static Optional<Path> path(PropertyReader r, String key) {
        return r.string(key).flatMap(s -> {
            try {
                return Optional.of(Path.of(s));
            } catch (InvalidPathException e) {
                r.error(key, "'" + s + "' is not a path (" + e.getReason() + ")");
                return Optional.empty();
            }
        });
    }

    private static Optional<HealthCheck> check(PropertyReader r, Path dir, Map<String, String> env, boolean inherit) {
        Optional<String> tcp = r.string("check.tcp");
        Optional<String> http = r.string("check.http");
        List<String> command = r.command("check.command");
        int given = (tcp.isPresent() ? 1 : 0) + (http.isPresent() ? 1 : 0) + (command.isEmpty() ? 0 : 1);
        if (given > 1) {
            r.error("check", "give one of check.tcp, check.http, check.command, not several");
            return Optional.empty();
        }
        if (tcp.isPresent()) {
            return tcp(r, tcp.get());
        }
        if (http.isPresent()) {
            try {
                URI url = new URI(http.get().strip());
                if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                    r.error("check.http", "'" + http.get() + "' (expected: an http:// or https:// URL)");
                    return Optional.empty();
                }
                return Optional.of(new HealthCheck.Http(url));
            } catch (URISyntaxException e) {
                r.error("check.http", "'" + http.get() + "' is not a URL (" + e.getReason() + ")");
                return Optional.empty();
            }
        }
        if (!command.isEmpty()) {
            return Optional.of(new HealthCheck.Command(command, dir, env, inherit));
        }
        return Optional.empty();
    }

    private static Optional<HealthCheck> tcp(PropertyReader r, String text) {
        String s = text.strip();
        int colon = s.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : s.substring(0, colon);
        String port = colon < 0 ? s : s.substring(colon + 1);
        try {
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535 || host.isBlank()) {
                throw new NumberFormatException();
            }
            return Optional.of(new HealthCheck.Tcp(host, p));
        } catch (NumberFormatException e) {
            r.error("check.tcp", "'" + text + "' (expected: PORT or HOST:PORT)");
            return Optional.empty();
        }
    }
}
