import org.clusworker.agents.java.JavaType;
import org.clusworker.agents.ocf.OcfType;
import org.clusworker.agents.process.ProcessType;

/**
 * The built-in resource types {@code process}, {@code ocf} and {@code java}, found by the host through
 * {@link java.util.ServiceLoader}. {@code org.clusworker.agents.support} (process groups, exit statuses,
 * property reading) is exported for the cluster layer's watchdog and the command line.
 */
module org.clusworker.agents {
    requires transitive org.clusworker.host;
    requires org.slf4j;
    requires java.xml;
    requires java.net.http;
    requires static com.google.errorprone.annotations;

    exports org.clusworker.agents.support;
    exports org.clusworker.agents.process;
    exports org.clusworker.agents.ocf;
    exports org.clusworker.agents.java;

    provides org.clusworker.host.agent.ResourceType with ProcessType, OcfType, JavaType;
}
