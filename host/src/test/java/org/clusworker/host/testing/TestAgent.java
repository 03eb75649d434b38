package org.clusworker.host.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.clusworker.host.agent.AgentContext;
import org.clusworker.host.agent.AgentException;
import org.clusworker.host.agent.Operation;
import org.clusworker.host.agent.ResourceAgent;

/**
 * A scripted agent that records every call and checks the host's threading contract as it goes: no
 * two entry points but terminate overlap, nothing is called after close, close comes once. Each entry
 * point runs a {@link Script} (see {@link Scripts}); by default online and offline return at once and
 * the health checks answer {@link #healthy}.
 *
 * <p>Thread-safe: the host calls it from its workers while the test scripts and inspects it.
 */
public final class TestAgent implements ResourceAgent {

    /** What an entry point does. {@code op} is {@code null} for entry points other than online and offline. */
    @FunctionalInterface
    public interface Script {
        Object run(TestAgent agent, Operation op) throws Exception;
    }

    private final String name;
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private volatile boolean looksAlive = true;
    private volatile boolean isAlive = true;
    private volatile AgentContext context;
    private volatile boolean closed;
    private final AtomicInteger inside = new AtomicInteger();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** @GuardedBy("lock") */
    private final List<String> log = new ArrayList<>();
    /** @GuardedBy("lock") */
    private final Map<String, Integer> entered = new HashMap<>();
    /** @GuardedBy("lock") */
    private final Map<String, Integer> returned = new HashMap<>();
    /** @GuardedBy("lock") */
    private final List<String> violations = new ArrayList<>();

    public TestAgent(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    // ---- scripting

    public TestAgent on(String entryPoint, Script script) {
        scripts.put(entryPoint, script);
        return this;
    }

    public TestAgent onOpen(Script s) {
        return on("open", s);
    }

    public TestAgent onOnline(Script s) {
        return on("online", s);
    }

    public TestAgent onOffline(Script s) {
        return on("offline", s);
    }

    public TestAgent onTerminate(Script s) {
        return on("terminate", s);
    }

    public TestAgent onLooksAlive(Script s) {
        return on("looksAlive", s);
    }

    public TestAgent onIsAlive(Script s) {
        return on("isAlive", s);
    }

    public TestAgent onClose(Script s) {
        return on("close", s);
    }

    /** What looksAlive and isAlive answer (unless scripted otherwise). */
    public TestAgent healthy(boolean looksAlive, boolean isAlive) {
        this.looksAlive = looksAlive;
        this.isAlive = isAlive;
        return this;
    }

    /** The context it was opened with ({@code null} before). */
    public AgentContext context() {
        return context;
    }

    // ---- the agent

    /** Called by {@link TestType#open}. */
    TestAgent opened(AgentContext ctx) {
        this.context = ctx;
        run("open", null);
        return this;
    }

    @Override
    public void online(Operation operation) {
        run("online", operation);
    }

    @Override
    public void offline(Operation operation) {
        run("offline", operation);
    }

    @Override
    public void terminate() {
        run("terminate", null);
    }

    @Override
    public boolean looksAlive() {
        Object answer = run("looksAlive", null);
        return answer == null ? looksAlive : (Boolean) answer;
    }

    @Override
    public boolean isAlive() {
        Object answer = run("isAlive", null);
        return answer == null ? isAlive : (Boolean) answer;
    }

    @Override
    public void close() {
        run("close", null);
        if (closed) {
            violation("close called twice");
        }
        closed = true;
    }

    private Object run(String entry, Operation op) {
        boolean exclusive = !entry.equals("terminate");
        if (closed) {
            violation(entry + " called after close");
        }
        if (exclusive && inside.incrementAndGet() != 1) {
            violation(entry + " overlapped another entry point");
        }
        record(entry, entered);
        try {
            Script s = scripts.get(entry);
            return s == null ? null : s.run(this, op);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AgentException(name + ": " + entry + " failed", e);
        } finally {
            if (exclusive) {
                inside.decrementAndGet();
            }
            record(entry, returned);
        }
    }

    private void record(String entry, Map<String, Integer> counts) {
        lock.lock();
        try {
            counts.merge(entry, 1, Integer::sum);
            log.add(counts == entered ? entry : entry + " returned");
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void violation(String what) {
        lock.lock();
        try {
            violations.add(name + ": " + what);
        } finally {
            lock.unlock();
        }
    }

    // ---- inspection

    /** How many times the entry point was entered. */
    public int entered(String entry) {
        lock.lock();
        try {
            return entered.getOrDefault(entry, 0);
        } finally {
            lock.unlock();
        }
    }

    /** How many times the entry point returned (or threw). */
    public int returned(String entry) {
        lock.lock();
        try {
            return returned.getOrDefault(entry, 0);
        } finally {
            lock.unlock();
        }
    }

    /** Every call and return, in order, e.g. {@code [open, open returned, online, online returned]}. */
    public List<String> log() {
        lock.lock();
        try {
            return List.copyOf(log);
        } finally {
            lock.unlock();
        }
    }

    /** Breaches of the threading contract seen so far. */
    public List<String> violations() {
        lock.lock();
        try {
            return List.copyOf(violations);
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Waits (real time, {@link Patience#PATIENCE}) until the entry point has been entered {@code n} times. */
    public void awaitEntered(String entry, int n) {
        await(entry, n, entered);
    }

    /** Waits (real time, {@link Patience#PATIENCE}) until the entry point has returned {@code n} times. */
    public void awaitReturned(String entry, int n) {
        await(entry, n, returned);
    }

    private void await(String entry, int n, Map<String, Integer> counts) {
        Patience.await(lock, changed, () -> counts.getOrDefault(entry, 0) >= n ? Boolean.TRUE : null,
                () -> name + "." + entry + " " + (counts == entered ? "entered" : "returned") + " " + n + " times within "
                        + Patience.PATIENCE + ", but was " + counts.getOrDefault(entry, 0) + "; log: " + log);
    }

    @Override
    public String toString() {
        return "TestAgent[" + name + "]";
    }
}
