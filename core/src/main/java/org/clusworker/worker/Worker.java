package org.clusworker.worker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread plus a cooperative termination flag: the Java API of the Windows {@code CLUS_WORKER}.
 *
 * <pre>{@code
 * Worker worker = Worker.builder("db-online").virtual().start(ctx -> {
 *     while (!ctx.awaitTermination(Duration.ofSeconds(1))) {
 *         reportProgress();
 *     }
 *     return 0;
 * });
 * boolean exited = worker.terminate(Duration.ofSeconds(5));   // wakes the routine at once
 * }</pre>
 *
 * <h2>Implementation notes</h2>
 * <p><b>Concurrency.</b> All of a worker's mutable state is one {@code volatile int} of bits, held in
 * its {@link WorkerContext} part
 * ({@code STARTED}, {@code TERMINATE}, {@code EXITED}), changed only by atomic read-modify-write, so
 * {@link #isTerminationRequested()} is one volatile read and of many concurrent
 * {@link #requestTermination()} calls exactly one sees the flag clear and returns {@code true}. The
 * exit ({@link #exitCode}, {@link #failure}) is written by the worker's thread alone, before it sets
 * {@code EXITED} and counts down {@link #exited}; readers read it only after seeing either.
 * Termination callbacks sit on a lock-free stack that the first terminator closes, so each callback
 * runs exactly once, on the terminator's thread (or at once on the registering thread if it comes
 * late), never under a lock.
 *
 * <p><b>Termination.</b> Requesting termination sets the flag, unparks the worker's thread (ending
 * any {@link WorkerContext} wait at once), runs the callbacks, and interrupts the thread if the
 * builder opted in. Nothing stops a routine that ignores all of that; waits with a timeout then
 * return {@code false} and {@link TerminationReport} shows where it is stuck.
 *
 * <p><b>Timeouts.</b> Every wait takes a {@link Duration}; a timeout returns {@code false}. Waits for
 * exit do not give up on interrupt: they keep waiting and restore the interrupt status before they
 * return (as {@code ClusWorkerTerminate} must). Real threads are waited for in real time
 * ({@link System#nanoTime()}); a fake clock cannot unpark a thread.
 */
public final class Worker extends WorkerContext {

    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final VarHandle CALLBACKS;

    static {
        try {
            CALLBACKS = MethodHandles.lookup().findVarHandle(Worker.class, "callbacks", CallbackNode.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Marks the callback stack closed: termination has been requested and the callbacks have been taken. */
    private static final CallbackNode CLOSED = new CallbackNode(null, null);

    private final String name;
    private final Thread thread;
    private final Routine routine;
    private final boolean virtual;
    private final boolean interruptOnTerminate;
    private final WorkerRegistry registry;
    private final long createdNanos = System.nanoTime();
    private final CountDownLatch exited = new CountDownLatch(1);

    /** Termination callbacks: a Treiber stack, or {@link #CLOSED} once they have been taken. */
    private volatile CallbackNode callbacks;
    /** Written by the thread that ends the worker, before EXITED is set; read only after EXITED is seen. */
    private int exitCode;
    /** Same as {@link #exitCode}. */
    private Throwable failure;
    /** Failures of termination callbacks. Guarded by {@code this}. */
    private List<Throwable> callbackFailures;

    /** Links of the registry's list this worker is on; guarded by that list's monitor. */
    Worker registryPrev;
    /** Same as {@link #registryPrev}. */
    Worker registryNext;
    private final long sequence;

    private Worker(Builder builder, Routine routine) {
        this.sequence = SEQUENCE.incrementAndGet();
        this.name = builder.namePrefix + sequence;
        this.routine = routine;
        this.virtual = builder.virtual;
        this.interruptOnTerminate = builder.interruptOnTerminate;
        this.registry = builder.registry;
        for (Runnable callback : builder.callbacks) {
            push(callback);
        }
        this.thread = builder.threadFactory().newThread(this::runOnThread);
        if (thread == null) {
            throw new IllegalStateException("threadFactory: returned null for worker " + name);
        }
        thread.setName(name);
    }

    /**
     * Starts building a worker whose thread is named {@code clusworker-<role>-<n>}.
     *
     * @param role what the worker does, e.g. {@code "db-online"}
     */
    public static Builder builder(String role) {
        Objects.requireNonNull(role, "role");
        if (role.isBlank()) {
            throw new IllegalArgumentException("role: '" + role + "' (expected: not blank)");
        }
        return new Builder(role);
    }

    /**
     * Starts the worker's thread, which runs the routine. Happens-before: everything the caller did
     * before {@code start()} is visible to the routine.
     *
     * @throws IllegalStateException if the worker was already started (or failed to start)
     * @throws WorkerStartException  if the thread could not be started; the worker is then
     *                               {@link WorkerState#EXITED} with {@link WorkerExit#NOT_ENOUGH_MEMORY}
     */
    public void start() {
        int prev;
        do {
            prev = state;
            if ((prev & (STARTED | EXITED)) != 0) {
                throw new IllegalStateException("Expected worker " + name + " to be NEW, but was " + state());
            }
        } while (!STATE.compareAndSet(this, prev, prev | STARTED));
        registry.add(this);
        try {
            thread.start();
        } catch (Throwable e) {     // OutOfMemoryError: unable to create native thread, and the like
            registry.remove(this);
            finish(WorkerExit.NOT_ENOUGH_MEMORY, e);
            throw new WorkerStartException(name, e);
        }
        WorkerEvents.created(this);
    }

    private void runOnThread() {
        int code;
        Throwable thrown = null;
        try {
            code = routine.run(this);
        } catch (Throwable e) {
            code = WorkerExit.UNHANDLED_EXCEPTION;
            thrown = e;
        }
        registry.remove(this);
        finish(code, thrown);
    }

    private void finish(int code, Throwable thrown) {
        exitCode = code;
        failure = thrown;
        int prev = (int) STATE.getAndBitwiseOr(this, EXITED);
        WorkerEvents.exited(this, code, thrown, (prev & TERMINATE) != 0);
        exited.countDown();
    }

    /**
     * Requests termination: sets the flag, wakes the routine if it waits in its {@link WorkerContext},
     * runs the termination callbacks and, if the builder opted in, interrupts the thread. Never blocks
     * (other than for the callbacks, which run on this thread).
     *
     * @return {@code true} if this call set the flag; {@code false} if it was already set. Of many
     *         concurrent callers exactly one gets {@code true}.
     */
    public boolean requestTermination() {
        int prev = (int) STATE.getAndBitwiseOr(this, TERMINATE);
        if ((prev & TERMINATE) != 0) {
            return false;
        }
        if ((prev & (STARTED | EXITED)) == STARTED) {
            LockSupport.unpark(thread);
        }
        WorkerEvents.terminateRequested(this);
        runCallbacks((CallbackNode) CALLBACKS.getAndSet(this, CLOSED));
        if (interruptOnTerminate && (prev & (STARTED | EXITED)) == STARTED && !isExited()) {
            thread.interrupt();
        }
        return true;
    }

    /** Whether the routine has ended (or the thread never started). */
    public boolean isExited() {
        return (state & EXITED) != 0;
    }

    /** The current state; never blocks. */
    public WorkerState state() {
        int s = state;
        if ((s & EXITED) != 0) {
            return WorkerState.EXITED;
        }
        if ((s & STARTED) == 0) {
            return WorkerState.NEW;
        }
        return (s & TERMINATE) != 0 ? WorkerState.TERMINATION_REQUESTED : WorkerState.RUNNING;
    }

    /**
     * Waits up to {@code timeout} for the routine to end. Any number of threads may wait.
     *
     * <p>Memory consistency: everything the routine did happens-before this method returns {@code true}.
     * Interrupts: the wait is not abandoned; the interrupt status is restored before returning.
     *
     * @return {@code true} if the worker has exited, {@code false} if the timeout elapsed first
     * @throws IllegalStateException if called on the worker's own thread, which can never see itself exit
     */
    public boolean awaitExit(Duration timeout) {
        return awaitExitNanos(Durations.toNanos(timeout, "timeout"));
    }

    /** Waits without limit for the routine to end; otherwise as {@link #awaitExit(Duration)}. */
    public void awaitExit() {
        awaitExitNanos(Durations.FOREVER);
    }

    boolean awaitExitNanos(long nanos) {
        if (isExited()) {
            return true;
        }
        requireOtherThread("await the exit of");
        boolean done = Uninterruptibles.await(exited, nanos);
        if (!done && nanos > 0 && isTerminationRequested()) {
            WorkerEvents.terminateTimedOut(this, nanos);
        }
        return done;
    }

    /**
     * Requests termination, then waits up to {@code timeout} for the routine to end. Memory
     * consistency and interrupts as {@link #awaitExit(Duration)}.
     *
     * @return {@code true} if the worker has exited, {@code false} if the timeout elapsed first
     * @throws IllegalStateException if called on the worker's own thread (the flag is set first)
     */
    public boolean terminate(Duration timeout) {
        long nanos = Durations.toNanos(timeout, "timeout");
        requestTermination();
        return awaitExitNanos(nanos);
    }

    /**
     * Waits up to {@code timeout} until the worker has exited and its thread has terminated too, as a
     * Win32 wait on the thread handle does. {@link #awaitExit(Duration)} returns a moment earlier, as
     * soon as the exit is published, which is what most callers need. Interrupts as {@link #awaitExit(Duration)}.
     *
     * @return {@code true} if the thread has terminated, {@code false} if the timeout elapsed first
     */
    public boolean join(Duration timeout) {
        return joinNanos(Durations.toNanos(timeout, "timeout"));
    }

    boolean joinNanos(long nanos) {
        long deadline = Durations.deadline(nanos);
        if (!awaitExitNanos(nanos)) {
            return false;
        }
        return (state & STARTED) == 0 || Uninterruptibles.join(thread, Durations.remaining(deadline));
    }

    /**
     * Sets the termination flag of every worker (so they stop in parallel), then waits for all of them
     * against one deadline, and reports who exited and where the others are stuck.
     *
     * @throws IllegalStateException if one of the workers is the caller's own (every flag is set first)
     */
    public static TerminationReport terminateAll(Collection<Worker> workers, Duration timeout) {
        long nanos = Durations.toNanos(timeout, "timeout");
        List<Worker> list = List.copyOf(workers);
        for (Worker w : list) {
            w.requestTermination();
        }
        return awaitAll(list, nanos);
    }

    /**
     * Waits for every worker against one deadline, without requesting termination, and reports who
     * exited and where the others are stuck. Interrupts as {@link #awaitExit(Duration)}.
     *
     * @throws IllegalStateException if one of the workers is the caller's own
     */
    public static TerminationReport awaitAll(Collection<Worker> workers, Duration timeout) {
        return awaitAll(List.copyOf(workers), Durations.toNanos(timeout, "timeout"));
    }

    private static TerminationReport awaitAll(List<Worker> workers, long nanos) {
        for (Worker w : workers) {
            w.requireOtherThread("await the exit of");
        }
        long deadline = Durations.deadline(nanos);
        for (Worker w : workers) {
            w.awaitExitNanos(Durations.remaining(deadline));
        }
        List<TerminationReport.Outcome> outcomes = new ArrayList<>(workers.size());
        for (Worker w : workers) {
            outcomes.add(w.outcome());
        }
        return new TerminationReport(outcomes);
    }

    TerminationReport.Outcome outcome() {
        Optional<WorkerExit> exit = exit();
        List<StackTraceElement> stack = exit.isPresent() ? List.of() : List.of(thread.getStackTrace());
        return new TerminationReport.Outcome(name, state(), exit.orElse(null), stack);
    }

    /** How the worker ended, once it has. */
    public Optional<WorkerExit> exit() {
        int s = state;
        if ((s & EXITED) == 0) {
            return Optional.empty();
        }
        return Optional.of(new WorkerExit(exitCode, failure, (s & TERMINATE) != 0));
    }

    /** What the routine threw, once it has exited by throwing. */
    public Optional<Throwable> failureCause() {
        return isExited() ? Optional.ofNullable(failure) : Optional.empty();
    }

    /** Wakes the routine if it waits in {@link WorkerContext#awaitCondition}, so it checks its condition again. */
    public void signal() {
        if ((state & (STARTED | EXITED)) == STARTED) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Registers a callback that runs once when termination is requested, on the requesting thread, or
     * at once on this thread if termination has already been requested. A callback that throws is
     * recorded in {@link #terminationCallbackFailures()}; it never fails the terminator.
     */
    @Override
    public Registration onTermination(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        CallbackNode node = push(callback);
        if (node == null) {
            runCallback(callback);
            return () -> { };
        }
        return node;
    }

    private CallbackNode push(Runnable callback) {
        CallbackNode node = new CallbackNode(callback, null);
        for (;;) {
            CallbackNode head = callbacks;
            if (head == CLOSED) {
                return null;
            }
            node.next = head;
            if (CALLBACKS.compareAndSet(this, head, node)) {
                return node;
            }
        }
    }

    private void runCallbacks(CallbackNode head) {
        if (head == null) {
            return;
        }
        // The stack is last-in first-out; run in registration order.
        List<Runnable> pending = new ArrayList<>();
        for (CallbackNode n = head; n != null && n != CLOSED; n = n.next) {
            Runnable r = n.take();
            if (r != null) {
                pending.add(r);
            }
        }
        for (int i = pending.size() - 1; i >= 0; i--) {
            runCallback(pending.get(i));
        }
    }

    private void runCallback(Runnable callback) {
        try {
            callback.run();
        } catch (Throwable e) {
            synchronized (this) {
                if (callbackFailures == null) {
                    callbackFailures = new ArrayList<>(1);
                }
                callbackFailures.add(e);
            }
        }
    }

    /** What termination callbacks threw, in the order they threw it. */
    public synchronized List<Throwable> terminationCallbackFailures() {
        return callbackFailures == null ? List.of() : List.copyOf(callbackFailures);
    }

    long sequence() {
        return sequence;
    }

    /** The worker's name, {@code clusworker-<role>-<n>}, which is also its thread's name. */
    public String name() {
        return name;
    }

    /** The worker's thread (not started while {@link WorkerState#NEW}). */
    public Thread thread() {
        return thread;
    }

    /** Whether the worker runs on a virtual thread. */
    public boolean isVirtual() {
        return virtual;
    }

    /** Where the worker's thread is now; empty once it has exited. */
    public List<StackTraceElement> stackTrace() {
        return isExited() ? List.of() : List.of(thread.getStackTrace());
    }

    /** An immutable view of this worker now. */
    public WorkerSnapshot snapshot() {
        return new WorkerSnapshot(name, state(), Duration.ofNanos(System.nanoTime() - createdNanos), virtual);
    }

    /**
     * The context its routine receives (this worker, seen as a {@link WorkerContext}); its waits may only
     * be called on this worker's own thread.
     */
    public WorkerContext context() {
        return this;
    }

    void requireOwnThread(String action) {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("Only worker " + name + " itself may " + action
                    + ", but " + Thread.currentThread().getName() + " tried");
        }
    }

    private void requireOtherThread(String action) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("Worker " + name + " cannot " + action + " itself (it would wait forever)");
        }
    }

    @Override
    public String toString() {
        return "Worker[" + name + ", " + state() + (virtual ? ", virtual" : "") + "]";
    }

    /** A termination callback on the stack; {@code callback} is cleared when it is taken or removed. */
    private static final class CallbackNode implements Registration {
        private static final VarHandle CALLBACK;

        static {
            try {
                CALLBACK = MethodHandles.lookup().findVarHandle(CallbackNode.class, "callback", Runnable.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private volatile Runnable callback;
        /** Written before the node is published by CAS; read after. */
        CallbackNode next;

        CallbackNode(Runnable callback, CallbackNode next) {
            this.callback = callback;
            this.next = next;
        }

        Runnable take() {
            return (Runnable) CALLBACK.getAndSet(this, (Runnable) null);
        }

        @Override
        public void close() {
            take();
        }
    }

    /**
     * Builds workers. A builder is a recipe: it may be reused, each {@link #unstarted(Routine)} or
     * {@link #start(Routine)} making a new worker. Not thread-safe while being configured; safe to share
     * once configured.
     */
    public static final class Builder {
        private final String role;
        private final String namePrefix;
        private boolean virtual;
        private boolean daemon = true;
        private boolean interruptOnTerminate;
        private WorkerRegistry registry = WorkerRegistry.global();
        private ThreadFactory threadFactory;
        private final List<Runnable> callbacks = new ArrayList<>();
        /** Made by the first {@link #threadFactory()} that needs it; two racing callers each make an equal one. */
        private volatile ThreadFactory defaultFactory;

        private Builder(String role) {
            this.role = role;
            this.namePrefix = "clusworker-" + role + "-";
        }

        /** Runs workers on virtual threads. */
        public Builder virtual() {
            return virtual(true);
        }

        /** Runs workers on platform threads (the default). */
        public Builder platform() {
            return virtual(false);
        }

        /** Virtual ({@code true}) or platform ({@code false}, the default) threads. */
        public Builder virtual(boolean virtual) {
            this.virtual = virtual;
            this.defaultFactory = null;
            return this;
        }

        /** Whether platform threads are daemons (default {@code true}, as Win32 threads end with their process). */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            this.defaultFactory = null;
            return this;
        }

        /** Also interrupt the thread when termination is requested (default {@code false}: opt-in). */
        public Builder interruptOnTerminate(boolean interrupt) {
            this.interruptOnTerminate = interrupt;
            return this;
        }

        /** Where the worker is listed while it lives (default {@link WorkerRegistry#global()}). */
        public Builder registry(WorkerRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Makes threads with this factory instead of the platform/virtual default; the worker still names
         * the thread. Meant for thread groups, context class loaders and tests of start failure.
         */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = Objects.requireNonNull(factory, "threadFactory");
            return this;
        }

        /** A callback every worker runs when termination is requested (see {@link Worker#onTermination}). */
        public Builder onTermination(Runnable callback) {
            callbacks.add(Objects.requireNonNull(callback, "callback"));
            return this;
        }

        ThreadFactory threadFactory() {
            if (threadFactory != null) {
                return threadFactory;
            }
            ThreadFactory f = defaultFactory;
            if (f == null) {
                f = virtual ? Thread.ofVirtual().factory() : Thread.ofPlatform().daemon(daemon).factory();
                defaultFactory = f;
            }
            return f;
        }

        /**
         * A new worker in {@link WorkerState#NEW}: its thread exists but is not started.
         *
         * @throws WorkerStartException if the thread object could not be created
         */
        public Worker unstarted(Routine routine) {
            Objects.requireNonNull(routine, "routine");
            try {
                return new Worker(this, routine);
            } catch (OutOfMemoryError e) {
                throw new WorkerStartException("clusworker-" + role, e);
            }
        }

        /**
         * A new worker, started.
         *
         * @throws WorkerStartException if its thread could not be created or started
         */
        public Worker start(Routine routine) {
            Worker worker = unstarted(routine);
            worker.start();
            return worker;
        }
    }
}
