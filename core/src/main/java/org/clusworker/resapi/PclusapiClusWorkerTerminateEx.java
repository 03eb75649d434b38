package org.clusworker.resapi;

/** {@code PCLUSAPI_CLUS_WORKER_TERMINATE_EX}: the type of {@link ResUtils#clusWorkerTerminateEx}. */
@FunctionalInterface
public interface PclusapiClusWorkerTerminateEx {
    /** See {@link ResUtils#clusWorkerTerminateEx}. */
    int invoke(ClusWorker clusWorker, int timeoutInMilliseconds, boolean waitOnly);
}
