package org.clusworker.resapi;

/** {@code PCLUSAPIClusWorkerCheckTerminate}: the type of {@link ResUtils#clusWorkerCheckTerminate}. */
@FunctionalInterface
public interface PclusapiClusWorkerCheckTerminate {
    /** See {@link ResUtils#clusWorkerCheckTerminate}. */
    boolean invoke(ClusWorker lpWorker);
}
