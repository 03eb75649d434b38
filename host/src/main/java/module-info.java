/**
 * The resource host. Its API: {@code org.clusworker.host} (the host, specs, states, events),
 * {@code org.clusworker.host.agent} (what a resource type implements), {@code org.clusworker.host.time}
 * (the clock and durations) and {@code org.clusworker.host.config} (names and dependency rules). The
 * machinery ({@code engine}, {@code policy}, {@code events}) is not exported.
 */
module org.clusworker.host {
    requires transitive org.clusworker.core;
    requires org.slf4j;
    requires static com.google.errorprone.annotations;

    exports org.clusworker.host;
    exports org.clusworker.host.agent;
    exports org.clusworker.host.time;
    exports org.clusworker.host.config;

    uses org.clusworker.host.agent.ResourceType;
}
