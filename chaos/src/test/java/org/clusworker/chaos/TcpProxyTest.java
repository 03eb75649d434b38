package org.clusworker.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy's faults against an echo server on loopback. */
class TcpProxyTest {

    /** How long "nothing arrives" is watched: the proxy is frozen, so nothing can arrive. */
    private static final int SILENCE_MILLIS = 300;

    private ServerSocket echo;
    private final AtomicInteger received = new AtomicInteger();
    private TcpProxy proxy;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("echo-accept").start(() -> {
            while (true) {
                Socket s;
                try {
                    s = echo.accept();
                } catch (IOException closed) {
                    return;
                }
                Thread.ofVirtual().name("echo").start(() -> {
                    try (s) {
                        InputStream in = s.getInputStream();
                        byte[] buf = new byte[1024];
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            received.addAndGet(n);
                            s.getOutputStream().write(buf, 0, n);
                        }
                    } catch (IOException gone) {
                        // the test closed or reset it
                    }
                });
            }
        });
        proxy = TcpProxy.to(0, "127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();      // throws if a thread of the proxy is left
        echo.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", proxy.port());
        s.setSoTimeout(10_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    private static String read(Socket s, int length) throws IOException {
        return new String(s.getInputStream().readNBytes(length), StandardCharsets.US_ASCII);
    }

    private static void assertSilent(Socket s) throws IOException {
        s.setSoTimeout(SILENCE_MILLIS);
        assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        s.setSoTimeout(10_000);
    }

    @Test
    void forwarding_bytesGoBothWays() throws IOException {
        try (Socket s = connect()) {
            send(s, "hello");
            assertThat(read(s, 5)).isEqualTo("hello");
            assertThat(proxy.connections()).isEqualTo(1);
        }
    }

    @Test
    void freeze_oldAndNewConnectionsFallSilentWithoutAClose_healDeliversWhatWaited() throws IOException {
        try (Socket old = connect()) {
            send(old, "a");
            assertThat(read(old, 1)).isEqualTo("a");
            proxy.freeze();
            send(old, "b");
            assertSilent(old);
            try (Socket fresh = connect()) {
                send(fresh, "c");
                assertSilent(fresh);
                assertThat(received).hasValue(1);        // nothing reached the server
                proxy.heal();
                assertThat(read(old, 1)).isEqualTo("b");
                assertThat(read(fresh, 1)).isEqualTo("c");
            }
        }
    }

    @Test
    void freezeReplies_requestsReachTheServer_repliesWaitUntilTheHeal() throws Exception {
        try (Socket s = connect()) {
            proxy.freezeReplies();
            send(s, "req");
            org.awaitility.Awaitility.await("the request served").until(() -> received.get() == 3);
            assertSilent(s);
            proxy.heal();
            assertThat(read(s, 3)).isEqualTo("req");
        }
    }

    @Test
    void cut_resetsLiveConnections_andNewOnes_untilTheHeal() throws IOException {
        try (Socket live = connect()) {
            send(live, "x");
            assertThat(read(live, 1)).isEqualTo("x");
            proxy.cut();
            assertThatThrownBy(() -> {
                if (live.getInputStream().read() >= 0) {
                    throw new AssertionError("read data after the cut");
                }
                throw new IOException("end of stream");
            }).isInstanceOf(IOException.class);
            try (Socket refused = connect()) {
                assertThatThrownBy(() -> {
                    if (refused.getInputStream().read() >= 0) {
                        throw new AssertionError("read data after the cut");
                    }
                    throw new IOException("end of stream");
                }).isInstanceOf(IOException.class);
            }
        }
        proxy.heal();
        try (Socket again = connect()) {
            send(again, "y");
            assertThat(read(again, 1)).isEqualTo("y");
        }
    }

    @Test
    void close_whileFrozenWithConnectionsWaiting_endsEveryThread() throws IOException {
        Socket a = connect();
        Socket b = connect();
        send(a, "1");
        proxy.freeze();
        send(b, "2");
        proxy.close();       // throws if one of its threads runs on
        assertThatThrownBy(() -> connect().getInputStream().read()).isInstanceOf(IOException.class);
        a.close();
        b.close();
    }
}
