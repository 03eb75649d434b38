package org.clusworker.cli.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.clusworker.cli.Main;

/**
 * The {@code clusworker} command as a real child process ({@code java -cp <test class path>
 * org.clusworker.cli.Main ...}), its output going to files; for black-box tests of {@code run} and
 * {@code demo}, with signals from outside.
 */
public final class HostProcess implements AutoCloseable {

    private final Process process;
    private final Path out;
    private final Path err;

    private HostProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * Starts {@code clusworker ARGS} with {@code dir} as its working directory and home, with SIGINT and
     * SIGTERM at their defaults whatever this JVM inherited (a test run started as a background job
     * ignores SIGINT, and its children would too).
     */
    public static HostProcess start(Path dir, String... args) throws IOException {
        return start(List.of("env", "--default-signal=INT,TERM"), dir, args);
    }

    /**
     * Like {@link #start}, but in a session and process group of its own, as a shell starts a foreground
     * job: {@link #signalGroup} then reaches it as a terminal's Ctrl-C would.
     */
    public static HostProcess startInOwnGroup(Path dir, String... args) throws IOException {
        return start(List.of("setsid", "env", "--default-signal=INT,TERM"), dir, args);
    }

    /** Sends a signal to the host's whole process group, as a terminal does to its foreground job. */
    public void signalGroup(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", name, "--", "-" + process.pid()).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -s " + name + " -- -" + process.pid() + " failed");
        }
    }

    /** Like {@link #start}, but the command inherits SIGINT as ignored, as a background job does. */
    public static HostProcess startIgnoringSigint(Path dir, String... args) throws IOException {
        return start(List.of("sh", "-c", "trap '' INT; exec env --default-signal=TERM \"$@\"", "sh"), dir, args);
    }

    private static HostProcess start(List<String> launcher, Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                org.clusworker.agents.support.ProcessTree.NATIVE_ACCESS, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("host.out");
        Path err = dir.resolve("host.err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("HOME", dir.toString());
        pb.environment().remove("CLUSWORKER_STATE_DIR");
        return new HostProcess(pb.start(), out, err);
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public String out() {
        return read(out);
    }

    public String err() {
        return read(err);
    }

    /** Waits until standard output contains {@code text}; fails the test, showing the output, if it does not. */
    public void awaitOutput(String text, Duration timeout) {
        if (!Poll.until(() -> out().contains(text) || !process.isAlive() && out().contains(text), timeout)) {
            throw new AssertionError("no '" + text + "' within " + timeout + "\n" + this);
        }
    }

    /** Sends a signal by name ({@code TERM}, {@code INT}, ...) with the {@code kill} command. */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -s " + name + " " + process.pid() + " failed");
        }
    }

    /** Waits for the exit and returns its code; fails the test if it does not exit in time. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + "\n" + this);
        }
        return process.exitValue();
    }

    /** Kills whatever is left (the host and its children), so a failed test leaves nothing behind. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "clusworker pid " + process.pid() + (process.isAlive() ? " (running)" : " (exit " + process.exitValue() + ")")
                + "\n--- stdout:\n" + out() + "--- stderr:\n" + err();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** Polling, for tests. */
    public static final class Poll {
        private Poll() {
        }

        /** Whether {@code condition} holds within {@code timeout} (Awaitility, polling every 50 ms). */
        public static boolean until(BooleanSupplier condition, Duration timeout) {
            try {
                org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
                return true;
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                return false;
            }
        }
    }
}
