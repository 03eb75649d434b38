package org.clusworker.resapi;

/** {@code PCLUSAPI_CLUS_WORKERS_TERMINATE}: the type of {@link ResUtils#clusWorkersTerminate}. */
@FunctionalInterface
public interface PclusapiClusWorkersTerminate {
    /** See {@link ResUtils#clusWorkersTerminate}. */
    int invoke(ClusWorker[] clusWorkers, int clusWorkersCount, int timeoutInMilliseconds, boolean waitOnly);
}
