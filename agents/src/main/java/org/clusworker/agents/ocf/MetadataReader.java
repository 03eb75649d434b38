package org.clusworker.agents.ocf;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.clusworker.agents.support.ProcessTree;

/**
 * Runs agents' {@code meta-data} action and keeps what it read, per agent file. Thread-safe.
 */
final class MetadataReader {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Agent path to its meta-data; an agent is read once per type instance (i.e. per host). */
    private final Map<Path, AgentMetadata> cache = new ConcurrentHashMap<>();

    AgentMetadata read(OcfSettings settings) throws IOException {
        Path agent = settings.agentPath();
        AgentMetadata md = cache.get(agent);
        if (md == null) {
            md = AgentMetadata.parse(run(settings));
            cache.put(agent, md);
        }
        return md;
    }

    private static String run(OcfSettings settings) throws IOException {
        Path out = Files.createTempFile("clusworker-ocf-meta-data", ".xml");
        try {
            ProcessBuilder pb = new ProcessBuilder(java.util.List.of(settings.agentPath().toString(), "meta-data"))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("OCF_ROOT", settings.ocfRoot().toString());
            pb.environment().put("OCF_RESOURCE_TYPE", settings.agent());
            pb.environment().put("OCF_RESOURCE_PROVIDER", settings.provider());
            pb.environment().put("HA_LOGFACILITY", "none");
            Process p = ProcessTree.start(pb);
            try {
                if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    ProcessTree.killTree(p.toHandle());
                    throw new IOException("meta-data did not finish within " + TIMEOUT.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                ProcessTree.killTree(p.toHandle());
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading meta-data", e);
            }
            if (p.exitValue() != 0) {
                throw new IOException("meta-data failed with " + OcfExitCode.describe(p.exitValue()));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
