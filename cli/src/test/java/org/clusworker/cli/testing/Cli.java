package org.clusworker.cli.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.clusworker.cli.ClusworkerCommand;
import org.clusworker.cli.Main;
import org.clusworker.cli.Terminal;
import picocli.CommandLine;

/** Runs the {@code clusworker} command in this JVM, as {@code new CommandLine(...).execute(args)}, capturing its output. */
public final class Cli {

    /** What a run printed and returned. */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    private Cli() {
    }

    public static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> environment = new HashMap<>(env);
        environment.putIfAbsent("HOME", System.getProperty("java.io.tmpdir") + "/clusworker-test-home");
        CommandLine cl = Main.commandLine(new ClusworkerCommand(environment, Terminal.none(), Clock.systemUTC()), args);     // as main does
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    public static Result run(String... args) {
        return run(Map.of(), args);
    }
}
