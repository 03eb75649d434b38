package org.clusworker.cli;

import java.util.ArrayList;
import java.util.List;
import org.clusworker.worker.Registration;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM handling for an orderly shutdown: the JVM's own handling would run shutdown hooks
 * and exit with 130 or 143; the command wants to shut the host down and exit 0.
 */
final class Signals {

    private Signals() {
    }

    /**
     * The handlers in place: {@link #close()} restores the previous ones. {@code ignored} names the
     * signals this process inherited as ignored (a background job of a non-interactive shell ignores
     * SIGINT; {@code nohup} SIGHUP): the JVM leaves those ignored, so they cannot stop the host.
     */
    record Handlers(Registration restore, List<String> ignored) implements Registration {
        @Override
        public void close() {
            restore.close();
        }
    }

    /**
     * Runs {@code onSignal} (on the JVM's signal thread) for every SIGINT or SIGTERM, until the
     * returned handlers are closed, which restores the previous ones.
     */
    static Handlers onInterruptOrTerminate(Runnable onSignal) {
        List<Runnable> restore = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal signal = new Signal(name);
                SignalHandler previous = Signal.handle(signal, s -> onSignal.run());
                if (previous == SignalHandler.SIG_IGN) {
                    ignored.add("SIG" + name);
                }
                restore.add(() -> Signal.handle(signal, previous));
            } catch (IllegalArgumentException unsupported) {
                // this JVM (e.g. run with -Xrs) does not let us handle it; the shutdown hook still closes the host
            }
        }
        return new Handlers(() -> restore.forEach(Runnable::run), List.copyOf(ignored));
    }
}
