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
        int code = commandLine(new ClusworkerCommand(env, Terminal.system(env), Clock.systemDefaultZone()), args).execute(args);
        System.exit(code);
    }

    /** The command line with the project's exit codes and error reporting, every subcommand registered; what tests execute. */
    public static CommandLine commandLine(ClusworkerCommand command) {
        return commandLine(command, new String[0]);
    }

    /**
     * The command line for {@code args}: when they begin with a subcommand's name, that subcommand alone is
     * registered (faster to start); otherwise (no subcommand, an option, {@code help}, a mistyped name that
     * picocli then suggests a correction for) every one is.
     */
    public static CommandLine commandLine(ClusworkerCommand command, String... args) {
        CommandLine cl = new CommandLine(command);
        Class<?> only = args.length > 0 && !args[0].equals("help") ? ClusworkerCommand.SUBCOMMANDS.get(args[0]) : null;
        if (only != null) {
            cl.addSubcommand(args[0], only);
        } else {
            ClusworkerCommand.SUBCOMMANDS.forEach(cl::addSubcommand);
        }
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        return cl;
    }
}
