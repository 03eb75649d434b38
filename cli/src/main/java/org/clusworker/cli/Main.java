package org.clusworker.cli;

import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;

/** The {@code clusworker} command's entry point. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        int code = commandLine(new ClusworkerCommand(env, Terminal.system(env), Clock.systemDefaultZone())).execute(args);
        System.exit(code);
    }

    /** The command line with the project's exit codes and error reporting; what tests execute. */
    public static CommandLine commandLine(ClusworkerCommand command) {
        CommandLine cl = new CommandLine(command);
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        return cl;
    }
}
