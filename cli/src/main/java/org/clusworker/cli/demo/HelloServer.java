package org.clusworker.cli.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The demo's web server, run as a real child process by a {@code process} resource:
 * {@code java -cp ... org.clusworker.cli.demo.HelloServer PORT}. Answers every request with 200.
 * Stops on SIGTERM, as any JVM does.
 */
public final class HelloServer {

    private HelloServer() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
        server.createContext("/", exchange -> {
            byte[] body = "hello from the clusworker demo\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (exchange) {
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        System.out.println("HelloServer listening on 127.0.0.1:" + port);
    }
}
