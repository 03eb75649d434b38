/**
 * The worker: the Windows Failover Clustering worker-thread utilities ({@code org.clusworker.resapi}) and
 * the Java API they are built on ({@code org.clusworker.worker}). JDK only.
 */
module org.clusworker.core {
    requires jdk.jfr;

    exports org.clusworker.worker;
    exports org.clusworker.resapi;
}
