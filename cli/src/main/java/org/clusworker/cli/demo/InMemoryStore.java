package org.clusworker.cli.demo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.clusworker.host.agent.Operation;
import org.clusworker.host.agent.ResourceAgent;

/** The demo's "database": a map that is online at once. A {@code java} resource with a no-argument constructor. */
public final class InMemoryStore implements ResourceAgent {

    private final Map<String, String> data = new ConcurrentHashMap<>();
    /** Written by online/offline/terminate (one at a time, or terminate); read by the health checks. */
    private volatile boolean open;

    @Override
    public void online(Operation operation) {
        data.put("greeting", "hello");
        open = true;
    }

    @Override
    public void offline(Operation operation) {
        open = false;
        data.clear();
    }

    @Override
    public void terminate() {
        open = false;
    }

    @Override
    public boolean looksAlive() {
        return open;
    }

    @Override
    public boolean isAlive() {
        return open && "hello".equals(data.get("greeting"));
    }

    @Override
    public void close() {
        data.clear();
    }
}
