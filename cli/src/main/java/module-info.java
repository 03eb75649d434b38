/**
 * The {@code clusworker} command: the host and the cluster run from a configuration file, the admin API,
 * the web status page and the Prometheus metrics. It is an application, not a library: it exports
 * nothing. Its commands are opened to picocli and the types it reads and writes as JSON to Jackson, for
 * their reflection. The released {@code clusworker.jar} runs on the class path; this descriptor holds the
 * layering at compile time (core &lt;- host &lt;- agents &lt;- cluster &lt;- cli).
 */
module org.clusworker.cli {
    requires org.clusworker.cluster;
    requires org.clusworker.examples;
    requires curator.framework;
    requires curator.client;
    requires info.picocli;
    requires com.fasterxml.jackson.annotation;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires micrometer.core;
    requires micrometer.registry.prometheus;
    requires org.slf4j;
    requires jdk.httpserver;
    requires java.net.http;
    requires jdk.unsupported;
    requires java.desktop;
    requires static com.google.errorprone.annotations;

    opens org.clusworker.cli to info.picocli, com.fasterxml.jackson.databind;
    opens org.clusworker.cli.admin to com.fasterxml.jackson.databind;
    opens org.clusworker.cli.demo to com.fasterxml.jackson.databind;
}
