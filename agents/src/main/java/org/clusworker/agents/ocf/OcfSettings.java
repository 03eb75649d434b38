package org.clusworker.agents.ocf;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.clusworker.agents.support.PropertyReader;
import org.clusworker.host.agent.PropertyError;

/**
 * The parameters of an {@code ocf} resource, read from its properties.
 *
 * <table>
 * <caption>Parameters</caption>
 * <tr><th>name</th><th>meaning</th><th>default</th></tr>
 * <tr><td>{@code agent}</td><td>{@code PROVIDER/AGENT}, e.g. {@code heartbeat/Dummy}</td><td>required</td></tr>
 * <tr><td>{@code params.NAME}</td><td>the agent's parameters ({@code OCF_RESKEY_NAME})</td><td></td></tr>
 * <tr><td>{@code ocfRoot}</td><td>the OCF root ({@code OCF_ROOT})</td><td>/usr/lib/ocf</td></tr>
 * <tr><td>{@code checkLevel}</td><td>OCF_CHECK_LEVEL of the deep monitor (isAlive)</td><td>the deepest level the agent lists, else 10</td></tr>
 * <tr><td>{@code timeout.ACTION}</td><td>overrides the meta-data's timeout of start, stop, monitor</td><td>meta-data's, else 20s</td></tr>
 * <tr><td>{@code environment.NAME}</td><td>more environment variables, e.g. {@code HA_RSCTMP}</td><td></td></tr>
 * </table>
 */
record OcfSettings(String provider, String agent, Path ocfRoot, Map<String, String> params,
                   Optional<Integer> checkLevel, Map<String, Duration> timeouts, Map<String, String> environment,
                   List<PropertyError> errors) {

    static final Path DEFAULT_ROOT = Path.of("/usr/lib/ocf");
    static final List<String> ACTIONS = List.of("start", "stop", "monitor", "validate-all", "meta-data");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");

    static OcfSettings read(Map<String, String> properties) {
        PropertyReader r = new PropertyReader(properties);
        String agent = r.required("agent");
        String provider = null;
        String type = null;
        if (agent != null) {
            String[] parts = agent.strip().split("/", -1);
            if (parts.length == 2 && NAME.matcher(parts[0]).matches() && NAME.matcher(parts[1]).matches()) {
                provider = parts[0];
                type = parts[1];
            } else {
                r.error("agent", "'" + agent + "' (expected: PROVIDER/AGENT, e.g. heartbeat/Dummy)");
            }
        }
        Path root = r.string("ocfRoot").map(Path::of).orElse(DEFAULT_ROOT);
        Map<String, String> params = r.map("params");
        Optional<Integer> level = r.string("checkLevel").isPresent()
                ? Optional.of(r.integer("checkLevel", 10, 0, 1000)) : Optional.empty();
        Map<String, Duration> timeouts = new java.util.LinkedHashMap<>();
        for (String action : List.of("start", "stop", "monitor")) {
            Duration d = r.duration("timeout." + action, null);
            if (d != null) {
                timeouts.put(action, d);
            }
        }
        Map<String, String> env = r.map("environment");
        r.rejectUnknown();
        return new OcfSettings(provider, type, root, params, level, Map.copyOf(timeouts), env, r.errors());
    }

    /** {@code OCF_ROOT/resource.d/PROVIDER/AGENT}. */
    Path agentPath() {
        return ocfRoot.resolve("resource.d").resolve(provider).resolve(agent);
    }

    String agentName() {
        return provider + "/" + agent;
    }
}
