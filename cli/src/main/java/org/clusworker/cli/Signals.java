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
     * Runs {@code onSignal} (on the JVM's signal thread) for every SIGINT or SIGTERM, until the
     * returned registration is closed, which restores the previous handlers.
     */
    static Registration onInterruptOrTerminate(Runnable onSignal) {
        List<Runnable> restore = new ArrayList<>();
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal signal = new Signal(name);
                SignalHandler previous = Signal.handle(signal, s -> onSignal.run());
                restore.add(() -> Signal.handle(signal, previous));
            } catch (IllegalArgumentException unsupported) {
                // this JVM (e.g. run with -Xrs) does not let us handle it; the shutdown hook still closes the host
            }
        }
        return () -> restore.forEach(Runnable::run);
    }
}
