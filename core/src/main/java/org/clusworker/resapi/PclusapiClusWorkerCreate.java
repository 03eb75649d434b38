package org.clusworker.resapi;

/** {@code PCLUSAPI_CLUS_WORKER_CREATE}: the type of {@link ResUtils#clusWorkerCreate}. */
@FunctionalInterface
public interface PclusapiClusWorkerCreate {
    /** See {@link ResUtils#clusWorkerCreate}. */
    int invoke(ClusWorker lpWorker, WorkerStartRoutine lpStartAddress, Object lpParameter);
}
