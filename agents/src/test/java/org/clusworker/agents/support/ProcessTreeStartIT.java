package org.clusworker.agents.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ProcessTree#start}: one spawn, the session made in the child, the builder's settings honoured. */
class ProcessTreeStartIT {

    @TempDir
    Path dir;

    private static String stat(long pid) throws IOException {
        String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return s.substring(s.lastIndexOf(')') + 2);
    }

    /** Fields 5 and 6 of /proc/PID/stat: process group and session. */
    private static long[] groupAndSession(long pid) throws IOException {
        String[] f = stat(pid).split(" ");
        return new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])};
    }

    @Test
    void nativeSpawn_onThisJdk() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 22, "posix_spawn through the foreign function API needs Java 22");
        assertThat(ProcessTree.nativeSpawn()).as("Java %s on glibc spawns natively", Runtime.version()).isTrue();
    }

    @Test
    void start_leadsItsOwnSessionAndGroup_fromItsFirstInstruction() throws Exception {
        Process p = ProcessTree.start(new ProcessBuilder("sleep", "30").redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD));
        try {
            if (ProcessTree.nativeSpawn()) {
                // no wait: the session is made before the exec
                assertThat(groupAndSession(p.pid())).containsExactly(p.pid(), p.pid());
            } else {
                ProcessTree.awaitOwnGroup(p.toHandle(), java.time.Duration.ofSeconds(10));
                assertThat(groupAndSession(p.pid())).containsExactly(p.pid(), p.pid());
            }
            assertThat(p.isAlive()).isTrue();
            assertThat(p.toHandle().isAlive()).isTrue();
            assertThat(ProcessTree.snapshotWithGroup(p.toHandle())).as("the process once, though /proc gives another handle of it")
                    .extracting(ProcessHandle::pid).containsExactly(p.pid());
            assertThat(p.toHandle().pid()).isEqualTo(p.pid());
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("killed by SIGKILL: 128 + 9, as Java reports it").isEqualTo(137);
        assertThat(p.isAlive()).isFalse();
        assertThat(p.toHandle().isAlive()).isFalse();
        assertThat(p.toHandle().onExit().get(30, TimeUnit.SECONDS).pid()).isEqualTo(p.pid());
        assertThat(Files.exists(Path.of("/proc", Long.toString(p.pid())))).as("reaped: no zombie left").isFalse();
    }

    @Test
    void start_givesTheCommandItsEnvironmentDirectoryAndFiles() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Files.writeString(err, "before\n");
        Files.writeString(dir.resolve("in.txt"), "from stdin\n");
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "echo \"$GREETING\"; pwd; cat; echo oops >&2; ls /proc/self/fd; exit 7")
                .directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(dir.resolve("in.txt").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
        pb.environment().put("GREETING", "hello there");
        Process p = ProcessTree.start(pb);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(7);
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.subList(0, 3)).containsExactly("hello there", work.toRealPath().toString(), "from stdin");
        assertThat(lines.subList(3, lines.size())).as("descriptors open in the child: 0-2 and ls's own directory").hasSizeLessThanOrEqualTo(4);
        assertThat(Files.readString(err)).isEqualTo("before\noops\n");
        assertThat(pb.command()).as("the builder is left as it was").containsExactly("sh", "-c",
                "echo \"$GREETING\"; pwd; cat; echo oops >&2; ls /proc/self/fd; exit 7");
    }

    @Test
    void start_mergesTheErrorStreamIntoTheOutputFile() throws Exception {
        Path out = dir.resolve("out.txt");
        Process p = ProcessTree.start(new ProcessBuilder("sh", "-c", "echo one; echo two >&2").redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))));
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readAllLines(out)).containsExactly("one", "two");
    }

    /** Natively, as ProcessBuilder does; through setsid the exec fails in setsid, which exits 127 (callers check first). */
    @Test
    void start_ofAMissingProgram_failsAsProcessBuilderDoes() {
        org.junit.jupiter.api.Assumptions.assumeTrue(ProcessTree.nativeSpawn(), "no native spawn here");
        File nul = new File("/dev/null");
        assertThatThrownBy(() -> ProcessTree.start(new ProcessBuilder(dir.resolve("nothing-here").toString())
                .redirectInput(ProcessBuilder.Redirect.from(nul)).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true)))
                .isInstanceOf(IOException.class).hasMessageContaining("nothing-here").hasMessageContaining("error=2");
        assertThatThrownBy(() -> ProcessTree.start(new ProcessBuilder("no-such-program-here")
                .redirectInput(ProcessBuilder.Redirect.from(nul)).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true)))
                .isInstanceOf(IOException.class).hasMessageContaining("no-such-program-here");
        assertThatThrownBy(() -> ProcessTree.start(new ProcessBuilder("true").redirectInput(ProcessBuilder.Redirect.from(nul))
                .redirectOutput(dir.resolve("no-such-directory").resolve("out").toFile()).redirectErrorStream(true)))
                .as("a file the child cannot open").isInstanceOf(IOException.class).hasMessageContaining("No such file or directory");
    }

    @Test
    void start_withAPipe_goesThroughProcessBuilder() throws Exception {
        Process p = ProcessTree.start(new ProcessBuilder("echo", "piped"));
        assertThat(new String(p.getInputStream().readAllBytes()).strip()).isEqualTo("piped");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void manyShortProcesses_leaveNoZombieAndNoThreadBehind() throws Exception {
        long before = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("clusworker-reaper")).count();
        for (int i = 0; i < 200; i++) {
            Process p = ProcessTree.start(new ProcessBuilder("true").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))));
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
        assertThat(zombieChildren()).as("children exited but not reaped").isEmpty();
        long after = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("clusworker-reaper")).count();
        assertThat(after - before).as("reaper threads are reused").isLessThanOrEqualTo(4);
    }

    /** In memory where spawned natively, else in the spill file: the two streams merged in order, bad UTF-8 replaced. */
    @Test
    void startCapturing_keepsOutputAndErrorInTheirOrder() throws Exception {
        Path spill = dir.resolve("spill.out");
        ProcessTree.Captured c = ProcessTree.startCapturing(new ProcessBuilder("sh", "-c", "echo out; echo err >&2; printf 'x\\377y'; exit 3")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))), spill);
        try (ProcessTree.Output out = c.output()) {
            assertThat(c.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(c.process().exitValue()).isEqualTo(3);
            assertThat(out.read()).isEqualTo("out\nerr\nx\uFFFDy");
            assertThat(out.read()).as("read again").isEqualTo("out\nerr\nx\uFFFDy");
            assertThat(Files.exists(spill)).as("the spill file is used only without a native spawn").isEqualTo(!ProcessTree.nativeSpawn());
        }
        assertThat(spill).doesNotExist();
    }

    @Test
    void startCapturingToFile_keepsTheOutputInTheFile_untilClosed() throws Exception {
        Path spill = dir.resolve("spill.out");
        ProcessTree.Captured c = ProcessTree.startCapturingToFile(new ProcessBuilder("sh", "-c", "echo one; echo two >&2")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))), spill);
        assertThat(c.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(spill).hasContent("one\ntwo");
        assertThat(c.output().read()).isEqualTo("one\ntwo\n");
        c.output().close();
        c.output().close();
        assertThat(spill).doesNotExist();
    }

    /**
     * A descendant that outlives the process and keeps its output cannot grow the output once it is closed:
     * the file in memory is sealed, and the descendant's write fails.
     */
    @Test
    void startCapturing_aDescendantStillWritingAfterTheClose_isRefused() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ProcessTree.nativeSpawn(), "the output is in memory only with a native spawn");
        Path go = dir.resolve("go");
        Path marker = dir.resolve("marker");
        String script = "echo first; (while [ ! -e '" + go + "' ]; do sleep 0.05; done; if echo late; then r=written; else r=refused; fi;"
                + " echo $r > '" + marker + "') & exit 0";
        ProcessTree.Captured c = ProcessTree.startCapturing(new ProcessBuilder("sh", "-c", script)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))), dir.resolve("spill.out"));
        assertThat(c.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(c.output().read()).isEqualTo("first\n");
        c.output().close();
        Files.writeString(go, "");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> Files.exists(marker) && Files.size(marker) > 0);
        assertThat(Files.readString(marker).strip()).isEqualTo("refused");
    }

    /** A runaway writer is cut off past the limit: its writes fail (so this one's loop of writes ends), and the output stops growing. */
    @Test
    void startCapturing_limit_refusesTheWritesOfARunawayWriter() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ProcessTree.nativeSpawn(), "the output is in memory only with a native spawn");
        ProcessTree.Captured c = ProcessTree.startCapturing(new ProcessBuilder("sh", "-c", "while echo 0123456789abcdef; do :; done; exit 9")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))), dir.resolve("spill.out"));
        try (ProcessTree.Output out = c.output()) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(1))
                    .until(() -> out.limit(1 << 20));
            assertThat(c.process().waitFor(30, TimeUnit.SECONDS)).as("its writes fail, so its loop ends").isTrue();
            assertThat(c.process().exitValue()).isEqualTo(9);
            String text = out.read();
            assertThat(text).as("the first MiB only: a fast writer may have gone past it before the seal").hasSize(1 << 20)
                    .startsWith("0123456789abcdef\n");
            assertThat(out.limit(1 << 20)).isTrue();
        } finally {
            c.process().destroyForcibly();
        }
    }

    @Test
    void startCapturing_manyTimes_leavesNoDescriptorBehind() throws Exception {
        long before = openDescriptors();
        for (int i = 0; i < 100; i++) {
            ProcessTree.Captured c = ProcessTree.startCapturing(new ProcessBuilder("echo", "run " + i)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))), dir.resolve("spill-" + i + ".out"));
            try (ProcessTree.Output out = c.output()) {
                assertThat(c.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(out.read()).isEqualTo("run " + i + "\n");
            }
        }
        assertThat(openDescriptors() - before).as("descriptors this JVM holds beyond those before the 100 runs").isLessThanOrEqualTo(5);
        try (var left = Files.list(dir)) {
            assertThat(left).as("no spill file left").isEmpty();
        }
    }

    private static long openDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void startMillis_isTheJdksStartInstant_readOnce() throws Exception {
        ProcessHandle self = ProcessHandle.current();
        assertThat(ProcessTree.startMillis(self)).hasValue(self.info().startInstant().orElseThrow().toEpochMilli());
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(ProcessTree.startMillis(child.toHandle())).hasValue(child.info().startInstant().orElseThrow().toEpochMilli());
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(ProcessTree.startMillis(child.toHandle())).as("a process gone").isEmpty();
    }

    private static List<Long> zombieChildren() throws IOException {
        long self = ProcessHandle.current().pid();
        List<Long> zombies = new java.util.ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    String[] f = stat(Long.parseLong(p.getFileName().toString())).split(" ");
                    if (f[0].equals("Z") && Long.parseLong(f[1]) == self) {
                        zombies.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        }
        return zombies;
    }
}
