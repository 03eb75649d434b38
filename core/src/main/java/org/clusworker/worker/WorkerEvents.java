package org.clusworker.worker;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * The worker's JFR events. Each costs a check of a static flag when JFR is not recording them.
 */
final class WorkerEvents {

    private WorkerEvents() {
    }

    static void created(Worker w) {
        Created e = new Created();
        if (e.shouldCommit()) {
            e.worker = w.name();
            e.virtual = w.isVirtual();
            e.commit();
        }
    }

    static void terminateRequested(Worker w) {
        TerminateRequested e = new TerminateRequested();
        if (e.shouldCommit()) {
            e.worker = w.name();
            e.commit();
        }
    }

    static void exited(Worker w, int exitCode, Throwable failure, boolean terminationRequested) {
        Exited e = new Exited();
        if (e.shouldCommit()) {
            e.worker = w.name();
            e.exitCode = exitCode;
            e.failure = failure == null ? null : failure.toString();
            e.terminationRequested = terminationRequested;
            e.commit();
        }
    }

    static void terminateTimedOut(Worker w, long timeoutNanos) {
        TerminateTimedOut e = new TerminateTimedOut();
        if (e.shouldCommit()) {
            e.worker = w.name();
            e.timeout = timeoutNanos;
            StringBuilder stack = new StringBuilder();
            for (StackTraceElement el : w.stackTrace()) {
                stack.append(el).append('\n');
            }
            e.stack = stack.toString();
            e.commit();
        }
    }

    @Name("org.clusworker.WorkerCreated")
    @Label("Worker Created")
    @Category("clusworker")
    @Description("A worker's thread was started")
    static final class Created extends Event {
        @Label("Worker") String worker;
        @Label("Virtual") boolean virtual;
    }

    @Name("org.clusworker.WorkerTerminateRequested")
    @Label("Worker Terminate Requested")
    @Category("clusworker")
    @Description("A worker's termination flag was set (first request only)")
    static final class TerminateRequested extends Event {
        @Label("Worker") String worker;
    }

    @Name("org.clusworker.WorkerExited")
    @Label("Worker Exited")
    @Category("clusworker")
    @Description("A worker's routine returned, threw, or its thread never started")
    static final class Exited extends Event {
        @Label("Worker") String worker;
        @Label("Exit Code") int exitCode;
        @Label("Failure") String failure;
        @Label("Termination Requested") boolean terminationRequested;
    }

    @Name("org.clusworker.WorkerTerminateTimedOut")
    @Label("Worker Terminate Timed Out")
    @Category("clusworker")
    @Description("A wait for a worker asked to terminate ended before the worker exited")
    static final class TerminateTimedOut extends Event {
        @Label("Worker") String worker;
        @Label("Timeout") @Timespan(Timespan.NANOSECONDS) long timeout;
        @Label("Stack") String stack;
    }
}
