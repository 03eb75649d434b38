package org.clusworker.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import com.google.errorprone.annotations.concurrent.GuardedBy;

/**
 * A TCP proxy that makes network faults between one client and one server: it listens on a port of
 * 127.0.0.1 and forwards every connection to {@code target}, byte for byte, both ways.
 * JDK only. The harness gives it a fixed listening port (the nodes' configuration names it); the cluster
 * module's fault tests use it too, with any free port.
 *
 * <p>The faults, each in force until {@link #heal()}:
 * <ul>
 *   <li>{@link #freeze()}, the realistic partition: nothing is forwarded any more, nothing is closed.
 *       Both ends see a silent peer (a hang, as when packets are lost), not a reset; what they send waits
 *       in the proxy and the socket buffers, as unacknowledged segments would. New connections are
 *       accepted but stay just as silent. A close by either end is not passed on while frozen either.
 *       {@link #heal()} resumes forwarding what waited, as TCP's retransmissions would after a partition
 *       heals; a connection that an end gave up on meanwhile is then closed on the other end too.</li>
 *   <li>{@link #freezeReplies()}: as {@link #freeze()}, but only what the server sends waits; what the
 *       client sends still goes through. Requests are served, their replies wait; a {@link #cut()} then
 *       loses them, and the client has a request whose outcome it cannot know (as when a server dies
 *       between its commit and its reply).</li>
 *   <li>{@link #cut()}: every live connection is closed at once with a reset, and every new one is reset
 *       as soon as it is accepted (as if refused): the client notices at once.</li>
 * </ul>
 *
 * <h2>Implementation notes</h2>
 * <p>One virtual thread accepts; each connection has two virtual threads, one per direction, each
 * reading a chunk and writing it on. A pump that has read something (data or the end of the stream)
 * waits at the gate ({@link #lock}, {@link #changed}) until the proxy forwards again, so while frozen
 * it neither writes nor reads more (TCP's flow control then stalls the sender). A connection ends, both
 * sockets closed, when either direction ends or fails, or on {@link #cut()} or {@link #close()}, which
 * also wake every gate. {@link #close()} joins every thread the proxy started: a test that closes its
 * proxies leaks none.
 */
public final class TcpProxy implements AutoCloseable {

    private enum Mode {
        FORWARDING, FROZEN, REPLIES_FROZEN, CUT, CLOSED;

        /** Whether a pump in this direction must wait. */
        boolean holds(boolean towardsClient) {
            return this == FROZEN || this == REPLIES_FROZEN && towardsClient;
        }
    }

    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when {@link #mode} changes. */
    private final Condition changed = lock.newCondition();
    @GuardedBy("lock")
    private Mode mode = Mode.FORWARDING;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private TcpProxy(int listenPort, InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(listenPort, 50, InetAddress.getLoopbackAddress());
        this.name = "tcp-proxy-" + IDS.incrementAndGet() + "-" + server.getLocalPort() + "-to-" + target.getPort();
        this.acceptor = start("accept", this::accept);
    }

    /** A proxy listening on {@code listenPort} of 127.0.0.1 (0: any free port) to {@code host:port}, forwarding from now on. */
    public static TcpProxy to(int listenPort, String host, int port) {
        try {
            return new TcpProxy(listenPort, new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for a proxy to " + host + ":" + port, e);
        }
    }

    /** The port the proxy listens on (of 127.0.0.1). */
    public int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:port}, for a connect string. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /** The server this proxy forwards to. */
    public InetSocketAddress target() {
        return target;
    }

    /** How many connections are open through the proxy now. */
    public int connections() {
        return connections.size();
    }

    /** Stops forwarding, closing nothing: both ends of every connection, old and new, see a silent peer. */
    public void freeze() {
        setMode(Mode.FROZEN);
    }

    /** Stops forwarding what the server sends (what the client sends goes on), closing nothing. */
    public void freezeReplies() {
        setMode(Mode.REPLIES_FROZEN);
    }

    /** Resets every live connection and every new one until {@link #heal()}. */
    public void cut() {
        setMode(Mode.CUT);
        for (Connection c : connections) {
            c.close(true);
        }
    }

    /** Forwards again: what waited while frozen goes on, new connections are forwarded. */
    public void heal() {
        setMode(Mode.FORWARDING);
    }

    private void setMode(Mode m) {
        lock.lock();
        try {
            if (mode == Mode.CLOSED) {
                throw new IllegalStateException("Expected proxy " + name + " to be open, but it is closed");
            }
            mode = m;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the listening socket and every connection, and waits until every thread of the proxy has ended. */
    @Override
    public void close() {
        lock.lock();
        try {
            mode = Mode.CLOSED;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        closeQuietly(server);
        for (Connection c : connections) {
            c.close(false);
        }
        // the acceptor first: until it has ended it may still start a connection's pumps
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Thread> left = new ArrayList<>();
        try {
            join(acceptor, deadline, left);
            for (Thread t : List.copyOf(threads)) {
                join(t, deadline, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!left.isEmpty()) {
            throw new IllegalStateException("Expected every thread of " + name + " to end, but these run on: " + left);
        }
    }

    private static void join(Thread t, long deadline, List<Thread> left) throws InterruptedException {
        if (!t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
            left.add(t);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    // ------------------------------------------------------------------ machinery

    private Thread start(String role, Runnable body) {
        Thread t = Thread.ofVirtual().name(name + "-" + role).unstarted(() -> {
            try {
                body.run();
            } finally {
                threads.remove(Thread.currentThread());
            }
        });
        threads.add(t);
        t.start();
        return t;
    }

    private Mode mode() {
        lock.lock();
        try {
            return mode;
        } finally {
            lock.unlock();
        }
    }

    private void accept() {
        while (mode() != Mode.CLOSED) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;     // closed
            }
            Mode m = mode();
            if (m == Mode.CUT || m == Mode.CLOSED) {
                reset(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.connect(target, (int) CONNECT_TIMEOUT.toMillis());
            } catch (IOException unreachable) {
                reset(client);      // the server is down: the client sees what it would see without a proxy
                closeQuietly(upstream);
                continue;
            }
            Connection c = new Connection(client, upstream);
            connections.add(c);
            if (mode() == Mode.CUT || mode() == Mode.CLOSED) {     // cut or closed meanwhile: it missed the sweep
                c.close(true);
                continue;
            }
            start("up", () -> c.pump(client, upstream, false));
            start("down", () -> c.pump(upstream, client, true));
        }
    }

    /**
     * Waits while this direction is frozen.
     *
     * @return whether to forward: false if the proxy was cut or closed, or {@code c} was closed
     */
    private boolean awaitForwarding(Connection c, boolean towardsClient) {
        lock.lock();
        try {
            while (mode.holds(towardsClient) && !c.closed) {
                changed.awaitUninterruptibly();
            }
            return mode != Mode.CUT && mode != Mode.CLOSED && !c.closed;
        } finally {
            lock.unlock();
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closed already
        }
        closeQuietly(s);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    /** One client connection and its connection to the target. */
    private final class Connection {
        private final Socket client;
        private final Socket upstream;
        /** Written under {@link TcpProxy#lock} (so that the gates see it when they are signalled), read anywhere. */
        private volatile boolean closed;

        Connection(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void pump(Socket from, Socket to, boolean towardsClient) {
            byte[] buf = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                    int n = in.read(buf);
                    if (!awaitForwarding(this, towardsClient)) {       // also for the end of the stream: a close is not passed on while frozen
                        break;
                    }
                    if (n < 0) {
                        break;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // reset or closed: the connection ends; a failure is passed on as soon as the proxy forwards
                awaitForwarding(this, towardsClient);
            } finally {
                close(false);
            }
        }

        void close(boolean withReset) {
            lock.lock();
            try {
                closed = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            if (withReset) {
                reset(client);
                reset(upstream);
            } else {
                closeQuietly(client);
                closeQuietly(upstream);
            }
            connections.remove(this);
        }
    }
}
