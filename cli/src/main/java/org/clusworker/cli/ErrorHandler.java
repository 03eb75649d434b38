package org.clusworker.cli;

import java.io.PrintWriter;
import org.clusworker.cli.admin.AdminException;
import org.clusworker.cli.config.ConfigError;
import org.clusworker.cli.config.ConfigException;
import org.clusworker.host.HostConfigurationException;
import picocli.CommandLine;

/**
 * Turns what a command throws into a message and an exit code: configuration errors (each on its
 * own line) exit {@link ExitCodes#USAGE}, so does a request for an unknown resource; everything else
 * exits {@link ExitCodes#FAILURE}. A stack trace only with {@code --stacktrace}.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        int code;
        switch (e) {
            case ConfigException c -> {
                c.errors().stream().map(ConfigError::toString).forEach(err::println);
                err.println(c.errors().size() == 1 ? "1 configuration error" : c.errors().size() + " configuration errors");
                code = ExitCodes.USAGE;
            }
            case HostConfigurationException h -> {
                h.errors().forEach(m -> err.println("configuration error: " + m));
                code = ExitCodes.USAGE;
            }
            case AdminException a -> {
                err.println("clusworker: " + a.getMessage());
                code = a.status() == 400 || a.status() == 404 ? ExitCodes.USAGE : ExitCodes.FAILURE;
            }
            default -> {
                err.println("clusworker: error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                code = ExitCodes.FAILURE;
            }
        }
        if (stacktraceWanted(parsed)) {
            e.printStackTrace(err);
        } else if (code == ExitCodes.FAILURE && !(e instanceof AdminException)) {
            err.println("(run with --stacktrace for details)");
        }
        err.flush();
        return code;
    }

    private static boolean stacktraceWanted(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--stacktrace")) {
                return true;
            }
        }
        return false;
    }
}
