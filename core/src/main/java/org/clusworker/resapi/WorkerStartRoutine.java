package org.clusworker.resapi;

/**
 * {@code PWORKER_START_ROUTINE}: {@code DWORD WINAPI WorkerStartRoutine(PCLUS_WORKER pWorker, LPVOID lpThreadParameter)}.
 * It receives its own worker, to poll with {@link ResUtils#clusWorkerCheckTerminate}, and the parameter
 * given to {@link ResUtils#clusWorkerCreate}; its return value is the thread's exit code.
 */
@FunctionalInterface
public interface WorkerStartRoutine {

    /**
     * @param worker    the worker running this routine
     * @param parameter the {@code lpParameter} given to {@code clusWorkerCreate}, possibly {@code null}
     * @return the exit code
     */
    int run(ClusWorker worker, Object parameter);
}
