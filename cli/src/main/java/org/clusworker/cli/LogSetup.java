package org.clusworker.cli;

import java.nio.file.Path;

/**
 * The command's logging backend is slf4j-simple (defaults in {@code simplelogger.properties}), which
 * reads its settings once, when the first logger is made. So {@link #configure} must run before
 * anything logs: {@code run} and {@code demo} call it first thing. It sets system properties, the
 * backend's only way of being configured; nothing else in the command touches global state.
 */
final class LogSetup {

    private LogSetup() {
    }

    /**
     * @param verbose debug level instead of info
     * @param file    where the log goes instead of standard error (the live view owns the screen); null to keep it
     */
    static void configure(boolean verbose, Path file) {
        if (verbose) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
        if (file != null) {
            System.setProperty("org.slf4j.simpleLogger.logFile", file.toAbsolutePath().toString());
        }
    }
}
