package org.clusworker.cli;

import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Whether standard output is an interactive terminal, and how wide it is. */
public interface Terminal {

    boolean isInteractive();

    /** Columns; a guess where it cannot be told. */
    int width();

    /** The real terminal of this process, as the JDK and {@code TERM} tell. */
    static Terminal system(Map<String, String> environment) {
        return new Terminal() {
            @Override
            public boolean isInteractive() {
                String term = environment.get("TERM");
                if (term == null || term.isBlank() || term.equals("dumb")) {
                    return false;
                }
                Console c = System.console();
                if (c == null) {
                    return false;
                }
                try { // JDK 22+ returns a console even when redirected, and says so with isTerminal()
                    Method m = Console.class.getMethod("isTerminal");
                    return (Boolean) m.invoke(c);
                } catch (NoSuchMethodException e) {
                    return true;
                } catch (ReflectiveOperationException e) {
                    return false;
                }
            }

            @Override
            public int width() {
                try {
                    Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                    if (p.waitFor(2, TimeUnit.SECONDS) && out.matches("\\d+ \\d+")) {
                        return Integer.parseInt(out.split(" ")[1]);
                    }
                } catch (IOException e) {
                    return 100;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 100;
            }
        };
    }

    /** Not a terminal (tests, pipes). */
    static Terminal none() {
        return new Terminal() {
            @Override
            public boolean isInteractive() {
                return false;
            }

            @Override
            public int width() {
                return 0;
            }
        };
    }
}
