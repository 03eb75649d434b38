package org.clusworker.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import com.google.errorprone.annotations.concurrent.GuardedBy;

/**
 * The fenced oracle store of CLUSTER.md §4.3 (Kleppmann's fenced storage): a loopback TCP server that
 * takes one write per line, {@code GROUP EPOCH NODE PID}, and accepts it only when EPOCH is at least the
 * highest epoch it has accepted for GROUP. It answers {@code ok} or {@code stale HIGHEST}, and appends
 * every write to the run's history, in the order it decided them:
 * {@code NS ! ok GROUP EPOCH NODE PID} or {@code NS ! stale GROUP EPOCH NODE PID HIGHEST}.
 *
 * <p>It shares nothing with the cluster layer. The checker uses the accepted writes for I3: a write the
 * store accepted although a higher epoch had already been acquired (the store could not know: the new
 * owner had not written yet) is an effect of a stale owner.
 */
final class OracleStore implements AutoCloseable {

    private final ServerSocket server;
    /** Written under {@code this}, in the order of the decisions; closed without it (a FileChannel is thread-safe). */
    private final FileChannel history;
    @GuardedBy("this")
    private final Map<String, Long> highest = new HashMap<>();
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private OracleStore(ServerSocket server, FileChannel history) {
        this.server = server;
        this.history = history;
    }

    /** Listens on 127.0.0.1:{@code port} and appends to {@code history}. */
    static OracleStore start(int port, Path history) {
        // the previous run's store may let go of its port a moment late: retry for up to 10 s
        for (int attempt = 1; ; attempt++) {
            try {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                try {
                    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
                } catch (IOException e) {
                    s.close();
                    throw e;
                }
                OracleStore store = new OracleStore(s, FileChannel.open(history, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
                Thread.ofVirtual().name("chaos-oracle-accept").start(store::accept);
                return store;
            } catch (java.net.BindException e) {
                if (attempt == 20) {
                    throw new UncheckedIOException("the oracle store cannot listen on 127.0.0.1:" + port, e);
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException i) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedIOException("interrupted while waiting for 127.0.0.1:" + port, e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("the oracle store cannot listen on 127.0.0.1:" + port, e);
            }
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket c = server.accept();
                clients.add(c);
                Thread.ofVirtual().name("chaos-oracle-client").start(() -> serve(c));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("chaos: oracle store: " + e.getMessage());
                }
            }
        }
    }

    private void serve(Socket c) {
        try (c; BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII))) {
            OutputStream out = c.getOutputStream();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.write((write(line) + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            // the writer died or was killed: its connection ends with it
        } finally {
            clients.remove(c);
        }
    }

    /** Decides one write and records it; the reply. */
    String write(String line) {
        String[] w = line.trim().split(" ");
        long epoch;
        try {
            if (w.length != 4) {
                return "error expected: GROUP EPOCH NODE PID";
            }
            epoch = Long.parseLong(w[1]);
            Long.parseLong(w[3]);
        } catch (NumberFormatException e) {
            return "error expected: GROUP EPOCH NODE PID";
        }
        synchronized (this) {
            long top = highest.getOrDefault(w[0], Long.MIN_VALUE);
            String verdict;
            String reply;
            if (epoch >= top) {
                highest.put(w[0], epoch);
                verdict = "ok";
                reply = "ok";
            } else {
                verdict = "stale";
                reply = "stale " + top;
            }
            String rec = System.nanoTime() + " ! " + verdict + " " + w[0] + " " + epoch + " " + w[2] + " " + w[3]
                    + (verdict.equals("stale") ? " " + top : "") + "\n";
            try {
                history.write(ByteBuffer.wrap(rec.getBytes(StandardCharsets.US_ASCII)));
            } catch (IOException e) {
                throw new UncheckedIOException("the oracle store cannot write the history", e);
            }
            return reply;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket c : clients) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        try {
            history.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
