/** The Windows SDK's "pending Online" pattern, with clusworker's worker threads. */
module org.clusworker.examples {
    requires org.clusworker.core;

    exports org.clusworker.examples;
}
