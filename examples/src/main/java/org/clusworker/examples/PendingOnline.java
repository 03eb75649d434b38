package org.clusworker.examples;

import static org.clusworker.resapi.ResUtils.INFINITE;
import static org.clusworker.resapi.ResUtils.clusWorkerCheckTerminate;
import static org.clusworker.resapi.ResUtils.clusWorkerCreate;
import static org.clusworker.resapi.ResUtils.clusWorkerTerminate;
import static org.clusworker.resapi.ResUtils.clusWorkerTerminateEx;
import static org.clusworker.resapi.ResUtils.clusWorkerWaitTerminate;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.clusworker.resapi.ClusWorker;
import org.clusworker.resapi.Win32Error;
import org.clusworker.worker.TerminationReport;
import org.clusworker.worker.Worker;

/**
 * The Windows SDK's "pending Online" pattern, end to end:
 * <ol>
 *   <li>Online starts the slow work in a worker and returns {@code ERROR_IO_PENDING} at once;</li>
 *   <li>the worker reports progress (a {@code SetResourceStatus} with an increasing checkpoint) and
 *       finishes: the resource is Online;</li>
 *   <li>a second Online is cut short by a terminate that arrives mid-way: the worker, waiting between
 *       steps with a wake-on-terminate wait, stops at once;</li>
 *   <li>a worker that ignores the flag gets a bounded terminate: {@code WAIT_TIMEOUT}, and the report
 *       says where it is stuck.</li>
 * </ol>
 */
public final class PendingOnline {

    private final PrintWriter out;
    private final Duration progressStep;
    private final Duration slowStep;

    /**
     * @param progressStep how long each step of the completing Online takes
     * @param slowStep     how long each step of the Online that gets terminated would take
     */
    PendingOnline(PrintWriter out, Duration progressStep, Duration slowStep) {
        this.out = out;
        this.progressStep = progressStep;
        this.slowStep = slowStep;
    }

    public static void main(String[] args) {
        run(new PrintWriter(System.out, true));
    }

    /** Runs the example, printing to {@code out}: steps of 300 ms, and 10 s for the Online that is terminated. */
    public static void run(PrintWriter out) {
        new PendingOnline(out, Duration.ofMillis(300), Duration.ofSeconds(10)).run();
    }

    /** One resource, as a resource DLL keeps it: its worker and its reported status. */
    private final class Resource {
        final String name;
        final Duration step;
        final ClusWorker worker = new ClusWorker();
        /** Written by the thread that reports (Online, then only the worker); read by anyone. */
        volatile String state = "Offline";
        /** Same as {@link #state}. */
        volatile int checkPoint;

        Resource(String name, Duration step) {
            this.name = name;
            this.step = step;
        }

        /** The Online entry point: never blocks; the work goes to a worker. */
        int online(int steps) {
            setResourceStatus("OnlinePending");     // before the worker runs: from here on only it reports
            int rc = clusWorkerCreate(worker, (w, parameter) -> onlineThread(w, (Integer) parameter), steps);
            if (rc != Win32Error.ERROR_SUCCESS) {
                setResourceStatus("Failed");
                return rc;
            }
            return Win32Error.ERROR_IO_PENDING;
        }

        /** The worker's routine: a slow online reporting progress, stopping the moment it is told to. */
        private int onlineThread(ClusWorker w, int steps) {
            for (int i = 1; i <= steps; i++) {
                if (clusWorkerWaitTerminate(w, (int) step.toMillis())) {   // wakes at once on terminate
                    setResourceStatus("Offline");
                    return Win32Error.ERROR_OPERATION_ABORTED;
                }
                setResourceStatus("OnlinePending");
                say("  %s: step %d of %d done", name, i, steps);
            }
            setResourceStatus("Online");
            return Win32Error.ERROR_SUCCESS;
        }

        /** SetResourceStatus: the state and a checkpoint that increases with every report. */
        private void setResourceStatus(String newState) {
            state = newState;
            say("  SetResourceStatus(%s, state=%s, CheckPoint=%d)", name, newState, ++checkPoint);
        }
    }

    void run() {
        say("clusworker: the Windows \"pending Online\" pattern on the JVM");
        say("");
        say("1. An Online that goes pending, reports progress and completes");
        Resource db = new Resource("db", progressStep);
        int rc = db.online(3);
        say("  Online(db) returned %s at once", Win32Error.name(rc));
        clusWorkerTerminateEx(db.worker, INFINITE, true);                        // wait only: let it finish
        say("  db is %s; its worker exited with %s", db.state, exitName(db.worker));
        say("");

        say("2. A terminate arriving mid-way is honoured at once");
        Resource web = new Resource("web", slowStep);
        web.online(1_000);
        while (web.checkPoint < 1) {                                             // let it go pending
            Thread.onSpinWait();
        }
        long start = System.nanoTime();
        clusWorkerTerminate(web.worker);                                         // sets the flag, waits for the exit
        long micros = (System.nanoTime() - start) / 1_000;
        say("  ClusWorkerTerminate(web) returned after %d µs (the routine waits %d ms between steps)",
                micros, slowStep.toMillis());
        say("  web is %s; flag=%s; its worker exited with %s", web.state, clusWorkerCheckTerminate(web.worker),
                exitName(web.worker));
        say("");

        say("3. A bounded terminate of a worker that ignores the flag");
        CountDownLatch stuckCall = new CountDownLatch(1);
        ClusWorker stubborn = new ClusWorker();
        clusWorkerCreate(stubborn, (w, p) -> blockInAnUninterruptibleCall(stuckCall), null);
        rc = clusWorkerTerminateEx(stubborn, 500, false);
        say("  ClusWorkerTerminateEx(stubborn, 500 ms) = %s", Win32Error.describe(rc));
        TerminationReport report = Worker.awaitAll(List.of(stubborn.worker().orElseThrow()), Duration.ZERO);
        say("  %s", report.toString().replace(System.lineSeparator(), System.lineSeparator() + "  "));
        stuckCall.countDown();                                                   // what a real agent's terminate would do
        rc = clusWorkerTerminateEx(stubborn, INFINITE, true);
        say("  after its blocking call was released: %s", Win32Error.name(rc));
    }

    private static int blockInAnUninterruptibleCall(CountDownLatch latch) {
        boolean interrupted = false;
        for (;;) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static String exitName(ClusWorker w) {
        return w.worker().flatMap(Worker::exit).map(e -> Win32Error.name(e.exitCode())).orElse("(running)");
    }

    private void say(String format, Object... args) {
        out.println(String.format(format, args));
        out.flush();
    }
}
