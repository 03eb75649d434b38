package org.clusworker.resapi;

/** {@code PCLUSAPI_CLUS_WORKER_TERMINATE}: the type of {@link ResUtils#clusWorkerTerminate}. */
@FunctionalInterface
public interface PclusapiClusWorkerTerminate {
    /** See {@link ResUtils#clusWorkerTerminate}. */
    void invoke(ClusWorker lpWorker);
}
