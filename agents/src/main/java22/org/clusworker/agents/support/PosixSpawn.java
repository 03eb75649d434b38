package org.clusworker.agents.support;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Starts a process in a session and process group of its own with one {@code posix_spawn} (glibc's
 * {@code POSIX_SPAWN_SETSID}), through the foreign function API of Java 22: the JVM's own spawn goes
 * through its helper program and a session through {@code setsid}, two more execs for every action.
 * The child gets the builder's command, environment and directory; its standard input, output and error
 * are opened in the child from the builder's file redirects ({@code Redirect.DISCARD} is a file too);
 * every other descriptor is closed ({@code posix_spawn_file_actions_addclosefrom_np}, glibc 2.34); its
 * signal mask is empty. A thread of a small pool waits for each child ({@code waitpid}) and reaps it.
 *
 * <p>{@link #startCapturing} gives the child, for its output and error, a file in memory
 * ({@code memfd_create}) that the JVM reads after the child's end: no file is made or removed in a
 * directory, and once read the file is sealed against writes, so a descendant that outlives the child
 * and still holds the stream cannot grow it.
 *
 * <p>Loaded by {@link ProcessTree} by name: on Java 21, or where a function is missing, it is not used.
 */
final class PosixSpawn implements ProcessTree.Spawner {

    private static final int POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final int POSIX_SPAWN_SETSID = 0x80;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int O_TRUNC = 01000;
    private static final int O_APPEND = 02000;
    private static final int EINTR = 4;
    /** glibc's posix_spawnattr_t is 336 bytes, posix_spawn_file_actions_t 80, sigset_t 128 (x86-64, arm64): room to spare. */
    private static final long ATTR_BYTES = 1024;
    private static final long ACTIONS_BYTES = 512;
    private static final long SIGSET_BYTES = 256;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle SPAWN = function("posix_spawn", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle ATTR_INIT = function("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_DESTROY = function("posix_spawnattr_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_FLAGS = function("posix_spawnattr_setflags", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    private static final MethodHandle ATTR_SIGMASK = function("posix_spawnattr_setsigmask", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SIGEMPTYSET = function("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ACTIONS_INIT = function("posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ACTIONS_DESTROY = function("posix_spawn_file_actions_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ADD_OPEN = function("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle ADD_DUP2 = function("posix_spawn_file_actions_adddup2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle ADD_CHDIR = function("posix_spawn_file_actions_addchdir_np", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle ADD_CLOSEFROM = function("posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle WAITPID = LINKER.downcallHandle(LIBC.find("waitpid").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.captureCallState("errno"));
    private static final MethodHandle STRERROR = function("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static final int MFD_CLOEXEC = 1;
    private static final int MFD_ALLOW_SEALING = 2;
    private static final int F_ADD_SEALS = 1033;
    private static final int F_SEAL_GROW = 4;
    private static final int F_SEAL_WRITE = 8;
    private static final int SEEK_END = 2;
    /** memfd_create, pread, lseek, fcntl and close; {@code null} where the C library lacks one (then the output goes through a file). */
    private static final MethodHandle MEMFD_CREATE = optional("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), true);
    private static final MethodHandle PREAD = optional("pread", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), true);
    private static final MethodHandle LSEEK = optional("lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT), true);
    private static final MethodHandle FCNTL = LIBC.find("fcntl").map(a -> LINKER.downcallHandle(a,
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2))).orElse(null);
    private static final MethodHandle CLOSE = optional("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), false);
    private static final boolean IN_MEMORY = MEMFD_CREATE != null && PREAD != null && LSEEK != null && FCNTL != null && CLOSE != null;

    /** The reapers: a blocked waitpid holds a platform thread (a virtual one would pin its carrier). */
    private static final ExecutorService REAPERS = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("clusworker-reaper-", 0).daemon().stackSize(256 * 1024).factory());

    PosixSpawn() {
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        MemorySegment address = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name + " is not in the C library"));
        return LINKER.downcallHandle(address, descriptor);
    }

    private static MethodHandle optional(String name, FunctionDescriptor descriptor, boolean errno) {
        return LIBC.find(name).map(a -> errno ? LINKER.downcallHandle(a, descriptor, Linker.Option.captureCallState("errno"))
                : LINKER.downcallHandle(a, descriptor)).orElse(null);
    }

    @Override
    public boolean supports(ProcessBuilder pb) {
        return fileOrInherit(pb.redirectInput()) && fileOrInherit(pb.redirectOutput())
                && (pb.redirectErrorStream() || fileOrInherit(pb.redirectError()));
    }

    private static boolean fileOrInherit(ProcessBuilder.Redirect r) {
        return r.type() == ProcessBuilder.Redirect.Type.INHERIT || r.file() != null;
    }

    /*
     * start is split into small methods on purpose: written as one, C1 gave up on it ("out of virtual
     * registers") and it ran in the interpreter for thousands of spawns.
     */
    @Override
    public Process start(ProcessBuilder pb) throws IOException {
        return start(pb, -1);
    }

    /**
     * Starts {@code pb}'s command with its output and error in a new file in memory; {@code null} if there
     * is none here (no {@code memfd_create}, or it failed: then the caller writes to a file instead).
     */
    @Override
    public ProcessTree.Captured startCapturing(ProcessBuilder pb) throws IOException {
        if (!IN_MEMORY || !fileOrInherit(pb.redirectInput())) {
            return null;
        }
        int fd = memfd();
        if (fd < 0) {
            return null;
        }
        try {
            return new ProcessTree.Captured(start(pb, fd), new MemoryOutput(fd));
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(fd);
            throw e;
        }
    }

    /** A new file in memory, closed on exec (the child gets its copies through dup2); -1 if none can be made. */
    private static int memfd() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return (int) MEMFD_CREATE.invokeExact(state, arena.allocateFrom("clusworker-output"), MFD_CLOEXEC | MFD_ALLOW_SEALING);
        } catch (Throwable t) {
            return -1;
        }
    }

    private static void closeQuietly(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable ignored) {
            // nothing to do: the descriptor is gone either way
        }
    }

    /** {@code output}: a descriptor for the child's output and error, or -1 for the builder's redirects. */
    private Process start(ProcessBuilder pb, int output) throws IOException {
        List<String> command = pb.command();
        if (command.isEmpty()) {
            throw new IndexOutOfBoundsException("no command");
        }
        Map<String, String> env = pb.environment();
        Path directory = pb.directory() == null ? Path.of("").toAbsolutePath() : pb.directory().toPath().toAbsolutePath();
        String program = resolve(command.get(0), env, directory);
        int pid;
        try (Arena arena = Arena.ofConfined()) {
            pid = spawn(arena, pb, program, directory, output);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        // the handle is taken before the reaper starts: the child is alive, or a zombie, until then
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("spawned process " + pid + " not found"));
        Spawned p = new Spawned(pid, handle);
        REAPERS.execute(p::reap);
        return p;
    }

    /** One posix_spawn with the builder's attributes and file actions; returns the child's pid. */
    private static int spawn(Arena arena, ProcessBuilder pb, String program, Path directory, int output) throws Throwable {
        MemorySegment attr = arena.allocate(ATTR_BYTES, 16);
        MemorySegment actions = arena.allocate(ACTIONS_BYTES, 16);
        check("posix_spawnattr_init", (int) ATTR_INIT.invokeExact(attr));
        check("posix_spawn_file_actions_init", (int) ACTIONS_INIT.invokeExact(actions));
        try {
            attributes(arena, attr);
            fileActions(arena, actions, pb, directory, output);
            MemorySegment pidOut = arena.allocate(JAVA_INT);
            int error = (int) SPAWN.invokeExact(pidOut, arena.allocateFrom(program), actions, attr,
                    strings(arena, pb.command()), environment(arena, pb.environment()));
            if (error != 0) {
                throw new IOException("Cannot run program \"" + pb.command().get(0) + "\"" + (pb.directory() == null ? "" : " (in directory \""
                        + pb.directory() + "\")") + ": error=" + error + ", " + strerror(error));
            }
            return pidOut.get(JAVA_INT, 0);
        } finally {
            int ignored = (int) ACTIONS_DESTROY.invokeExact(actions);
            ignored = (int) ATTR_DESTROY.invokeExact(attr);
        }
    }

    /** A session of its own and an empty signal mask. */
    private static void attributes(Arena arena, MemorySegment attr) throws Throwable {
        MemorySegment mask = arena.allocate(SIGSET_BYTES, 16);
        if ((int) SIGEMPTYSET.invokeExact(mask) != 0) {
            throw new IOException("sigemptyset failed");
        }
        check("posix_spawnattr_setsigmask", (int) ATTR_SIGMASK.invokeExact(attr, mask));
        check("posix_spawnattr_setflags", (int) ATTR_FLAGS.invokeExact(attr, (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK)));
    }

    /**
     * The directory, the three standard streams from the builder's redirects (output and error to
     * {@code output} instead, if it is not -1), every other descriptor closed.
     */
    private static void fileActions(Arena arena, MemorySegment actions, ProcessBuilder pb, Path directory, int output) throws Throwable {
        if (pb.directory() != null) {
            check("posix_spawn_file_actions_addchdir_np", (int) ADD_CHDIR.invokeExact(actions, arena.allocateFrom(directory.toString())));
        }
        redirect(arena, actions, 0, pb.redirectInput());
        if (output >= 0) {
            check("posix_spawn_file_actions_adddup2", (int) ADD_DUP2.invokeExact(actions, output, 1));
            check("posix_spawn_file_actions_adddup2", (int) ADD_DUP2.invokeExact(actions, output, 2));
        } else {
            redirect(arena, actions, 1, pb.redirectOutput());
            if (pb.redirectErrorStream()) {
                check("posix_spawn_file_actions_adddup2", (int) ADD_DUP2.invokeExact(actions, 1, 2));
            } else {
                redirect(arena, actions, 2, pb.redirectError());
            }
        }
        check("posix_spawn_file_actions_addclosefrom_np", (int) ADD_CLOSEFROM.invokeExact(actions, 3));
    }

    private static MemorySegment environment(Arena arena, Map<String, String> env) {
        List<String> pairs = new ArrayList<>(env.size());
        env.forEach((k, v) -> pairs.add(k + "=" + v));
        return strings(arena, pairs);
    }

    private static void check(String function, int error) throws IOException {
        if (error != 0) {
            throw new IOException(function + " failed: error=" + error + ", " + strerror(error));
        }
    }

    private static void redirect(Arena arena, MemorySegment actions, int fd, ProcessBuilder.Redirect r) throws Throwable {
        if (r.type() == ProcessBuilder.Redirect.Type.INHERIT) {
            return;
        }
        File f = r.file().getAbsoluteFile();
        boolean reads = r.type() == ProcessBuilder.Redirect.Type.READ;
        if (reads ? !f.canRead() : f.getParentFile() != null && !f.getParentFile().isDirectory()) {
            throw new java.io.FileNotFoundException(f + " (" + (reads && !f.exists() || !reads ? "No such file or directory" : "Permission denied") + ")");
        }
        int flags = switch (r.type()) {
            case READ -> O_RDONLY;
            case WRITE -> O_WRONLY | O_CREAT | O_TRUNC;
            case APPEND -> O_WRONLY | O_CREAT | O_APPEND;
            default -> throw new IllegalArgumentException("redirect " + r + " of descriptor " + fd);
        };
        check("posix_spawn_file_actions_addopen",
                (int) ADD_OPEN.invokeExact(actions, fd, arena.allocateFrom(f.getAbsolutePath()), flags, 0666));
    }

    /** A NULL-terminated array of C strings. */
    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    /**
     * As exec would find it: a name with '/' from the directory, else on the child's PATH. Checked here, as
     * the redirects' files are: glibc's posix_spawn does not report a failed exec or open, its child exits 127.
     */
    private static String resolve(String program, Map<String, String> env, Path directory) throws IOException {
        if (program.contains("/")) {
            Path p = directory.resolve(program);
            if (!Files.exists(p)) {
                throw new IOException("Cannot run program \"" + program + "\": error=2, No such file or directory");
            }
            if (!Files.isExecutable(p) || Files.isDirectory(p)) {
                throw new IOException("Cannot run program \"" + program + "\": error=13, Permission denied");
            }
            return p.toString();
        }
        String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path p = directory.resolve(dir.isEmpty() ? "." : dir).resolve(program);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return p.toString();
            }
        }
        throw new IOException("Cannot run program \"" + program + "\": error=2, No such file or directory (not on the PATH " + path + ")");
    }

    private static String strerror(int error) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(error);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + error;
        }
    }

    /** A file in memory that a child writes its output and error to. */
    private static final class MemoryOutput implements ProcessTree.Output {

        /** The descriptor; -1 once closed. */
        @com.google.errorprone.annotations.concurrent.GuardedBy("this")
        private int fd;
        /** Whether {@link #limit} sealed it. */
        @com.google.errorprone.annotations.concurrent.GuardedBy("this")
        private boolean limited;
        /** The most {@link #read} reads: the limit, once it sealed the file (a fast writer may have gone past it before). */
        @com.google.errorprone.annotations.concurrent.GuardedBy("this")
        private long readLimit = Long.MAX_VALUE;

        MemoryOutput(int fd) {
            this.fd = fd;
        }

        @Override
        public synchronized String read() throws IOException {
            if (fd < 0) {
                throw new IOException("the output was closed");
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(CALL_STATE);
                // the size now: a descendant that still writes does not keep this read going
                long size = Math.min(size(state), readLimit);
                if (size == 0) {
                    return "";
                }
                MemorySegment buffer = arena.allocate(size);
                long done = 0;
                while (done < size) {
                    long n = (long) PREAD.invokeExact(state, fd, buffer.asSlice(done), size - done, done);
                    if (n == 0) {
                        break;
                    }
                    if (n < 0) {
                        int errno = (int) ERRNO.get(state, 0L);
                        if (errno == EINTR) {
                            continue;
                        }
                        throw new IOException("reading the output failed: " + strerror(errno));
                    }
                    done += n;
                }
                return new String(buffer.asSlice(0, done).toArray(JAVA_BYTE), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        @Override
        public synchronized boolean limit(long maxBytes) {
            if (fd < 0) {
                return false;
            }
            if (limited) {
                return true;
            }
            try (Arena arena = Arena.ofConfined()) {
                if (size(arena.allocate(CALL_STATE)) > maxBytes) {
                    seal();
                    limited = true;
                    readLimit = maxBytes;
                }
                return limited;
            } catch (Throwable t) {
                return false;
            }
        }

        /** Seals the file against writes and growth, then closes it: what a descendant still writes fails (EPERM). */
        @Override
        public synchronized void close() {
            if (fd < 0) {
                return;
            }
            seal();
            closeQuietly(fd);
            fd = -1;
        }

        /** What has been written: the file's size (its end, where the writers' shared offset is anyway). */
        @com.google.errorprone.annotations.concurrent.GuardedBy("this")
        private long size(MemorySegment state) throws Throwable {
            long size = (long) LSEEK.invokeExact(state, fd, 0L, SEEK_END);
            if (size < 0) {
                throw new IOException("lseek on the output failed: " + strerror((int) ERRNO.get(state, 0L)));
            }
            return size;
        }

        @com.google.errorprone.annotations.concurrent.GuardedBy("this")
        private void seal() {
            try {
                int ignored = (int) FCNTL.invokeExact(fd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_WRITE);
            } catch (Throwable t) {
                // only a writer's further writes are not stopped
            }
        }
    }

    /** A child started here, reaped by a thread of {@link #REAPERS}. */
    private static final class Spawned extends Process {

        private final int pid;
        private final ProcessHandle handle;
        private final CompletableFuture<Integer> exit = new CompletableFuture<>();

        Spawned(int pid, ProcessHandle handle) {
            this.pid = pid;
            this.handle = handle;
        }

        /** Waits for the child's end and reaps it: its exit code, or 128 + the signal that killed it, as Java reports it. */
        void reap() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment status = arena.allocate(JAVA_INT);
                MemorySegment state = arena.allocate(CALL_STATE);
                while (true) {
                    int r = (int) WAITPID.invokeExact(state, pid, status, 0);
                    if (r == pid) {
                        int s = status.get(JAVA_INT, 0);
                        int signal = s & 0x7f;
                        exit.complete(signal == 0 ? (s >> 8) & 0xff : 128 + signal);
                        return;
                    }
                    if (r == -1 && (int) ERRNO.get(state, 0L) == EINTR) {
                        continue;
                    }
                    exit.completeExceptionally(new IllegalStateException("waitpid(" + pid + ") failed: errno " + ERRNO.get(state, 0L)));
                    return;
                }
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        }

        @Override
        public OutputStream getOutputStream() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public InputStream getInputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public int waitFor() throws InterruptedException {
            try {
                return exit.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }

        @Override
        public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
            try {
                exit.get(timeout, unit);
                return true;
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }

        @Override
        public int exitValue() {
            if (!exit.isDone()) {
                throw new IllegalThreadStateException("process " + pid + " has not exited");
            }
            return exit.join();
        }

        @Override
        public void destroy() {
            if (!exit.isDone()) {
                handle.destroy();
            }
        }

        @Override
        public Process destroyForcibly() {
            if (!exit.isDone()) {
                handle.destroyForcibly();
            }
            return this;
        }

        @Override
        public boolean supportsNormalTermination() {
            return true;
        }

        @Override
        public boolean isAlive() {
            return !exit.isDone();
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public CompletableFuture<Process> onExit() {
            return exit.thenApply(code -> this);
        }

        @Override
        public ProcessHandle toHandle() {
            return new Handle();
        }

        @Override
        public String toString() {
            return "Process[pid=" + pid + ", exitValue=" + (exit.isDone() ? exit.join() : "\"not exited\"") + "]";
        }

        /** The JDK's handle of the child, but alive until reaped here, and its exit when it was. */
        private final class Handle implements ProcessHandle {

            @Override
            public long pid() {
                return pid;
            }

            @Override
            public Optional<ProcessHandle> parent() {
                return handle.parent();
            }

            @Override
            public Stream<ProcessHandle> children() {
                return handle.children();
            }

            @Override
            public Stream<ProcessHandle> descendants() {
                return handle.descendants();
            }

            @Override
            public Info info() {
                return handle.info();
            }

            @Override
            public CompletableFuture<ProcessHandle> onExit() {
                return exit.thenApply(code -> this);
            }

            @Override
            public boolean supportsNormalTermination() {
                return true;
            }

            @Override
            public boolean destroy() {
                return !exit.isDone() && handle.destroy();
            }

            @Override
            public boolean destroyForcibly() {
                return !exit.isDone() && handle.destroyForcibly();
            }

            @Override
            public boolean isAlive() {
                return !exit.isDone();
            }

            @Override
            public int compareTo(ProcessHandle other) {
                return Long.compare(pid, other.pid());
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Handle h && h.pid() == pid;
            }

            @Override
            public int hashCode() {
                return Long.hashCode(pid);
            }

            @Override
            public String toString() {
                return Long.toString(pid);
            }
        }
    }
}
