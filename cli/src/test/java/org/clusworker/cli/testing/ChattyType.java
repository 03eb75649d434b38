package org.clusworker.cli.testing;

import java.util.Map;
import org.clusworker.host.agent.AgentContext;
import org.clusworker.host.agent.ExitState;
import org.clusworker.host.agent.Operation;
import org.clusworker.host.agent.ResourceAgent;
import org.clusworker.host.agent.ResourceType;

/**
 * Type {@code chatty}: online at once after {@code progress} progress reports (default 0), each with a
 * message of at least {@code messageBytes} characters; offline at once; always alive. For tests that
 * need a real host to make many events.
 */
public final class ChattyType implements ResourceType {

    public static final String NAME = "chatty";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ResourceAgent open(AgentContext context) {
        Map<String, String> p = context.properties();
        int reports = Integer.parseInt(p.getOrDefault("progress", "0"));
        int bytes = Integer.parseInt(p.getOrDefault("messageBytes", "0"));
        return new ResourceAgent() {
            @Override
            public void online(Operation operation) {
                String padding = "x".repeat(bytes);
                for (int i = 1; i <= reports; i++) {
                    if (operation.reportProgress("step " + i + "/" + reports + padding) == ExitState.TERMINATE) {
                        return;
                    }
                }
            }

            @Override
            public void offline(Operation operation) {
            }

            @Override
            public void terminate() {
            }

            @Override
            public boolean looksAlive() {
                return true;
            }

            @Override
            public boolean isAlive() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }
}
