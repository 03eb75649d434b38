package org.clusworker.cli;

import picocli.CommandLine.Option;

/** How {@code run} and {@code demo} show the host: a live screen or log lines. A mixin. */
final class ViewOptions {

    enum Mode { AUTO, LIVE, PLAIN }

    @Option(names = "--view", paramLabel = "MODE", defaultValue = "auto",
            description = "live: a status screen redrawn in place; plain: a log line per transition; "
                    + "auto (default): live on a terminal, plain otherwise.")
    Mode mode;

    @Option(names = {"-v", "--verbose"}, description = "Log at debug level.")
    boolean verbose;

    boolean live(Terminal terminal) {
        return switch (mode) {
            case LIVE -> true;
            case PLAIN -> false;
            case AUTO -> terminal.isInteractive();
            default -> throw new IllegalStateException("view " + mode);
        };
    }
}
