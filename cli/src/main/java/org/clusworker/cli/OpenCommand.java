package org.clusworker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.clusworker.cli.admin.AdminClient;
import org.clusworker.cli.admin.AdminFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code clusworker open [--browser]}: prints (and opens) the address of a running host's web status
 * page, with a one-time login code that the page exchanges for a session cookie.
 */
@Command(name = "open", mixinStandardHelpOptions = true,
        description = {"Prints the address of a running host's web status page, with a one-time login code.", "",
            "The code is good for one login within a minute; the page then keeps a session cookie. "
                    + "With --browser, opens the address too (xdg-open, else the desktop's browser)."})
final class OpenCommand implements Callable<Integer> {

    @ParentCommand
    ClusworkerCommand top;

    @Spec
    CommandSpec spec;

    @Mixin
    StateDirOptions target;

    @Option(names = {"-b", "--browser"}, description = "Open the address in a web browser too.")
    boolean browser;

    @Override
    public Integer call() {
        Path dir = target.resolve(top, spec.commandLine());
        ObjectMapper mapper = top.json();
        AdminFile file = AdminFile.read(dir, mapper);
        AdminClient.LoginCode code = new AdminClient(file, mapper).loginCode();
        PrintWriter out = spec.commandLine().getOut();
        out.println(code.url());
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        err.println("host '" + file.host() + "': open the address above within " + code.expiresInSeconds()
                + " s; it logs one browser in, once");
        if (browser) {
            String how = openBrowser(code.url());
            if (how == null) {
                err.println("cannot open a browser here (no xdg-open on the PATH, and no desktop for Java): "
                        + "open the address yourself");
                err.flush();
                return ExitCodes.FAILURE;
            }
            err.println("opened with " + how);
        }
        err.flush();
        return ExitCodes.OK;
    }

    /** How the browser was opened, or null if it could not be. */
    private String openBrowser(URI url) {
        String path = top.environment().get("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                Path xdg = Path.of(d.isEmpty() ? "." : d, "xdg-open");
                if (Files.isExecutable(xdg)) {
                    try {
                        Process p = new ProcessBuilder(xdg.toString(), url.toString())
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                        // xdg-open returns once the browser has the address; do not wait for a browser it started
                        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() == 0) {
                            return "xdg-open";
                        }
                    } catch (java.io.IOException e) {
                        // try the desktop
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                    break;
                }
            }
        }
        try {
            if (!java.awt.GraphicsEnvironment.isHeadless() && java.awt.Desktop.isDesktopSupported()
                    && java.awt.Desktop.getDesktop().isSupported(java.awt.Desktop.Action.BROWSE)) {
                java.awt.Desktop.getDesktop().browse(url);
                return "the desktop's browser";
            }
        } catch (Exception | LinkageError e) {
            // no desktop
        }
        return null;
    }
}
