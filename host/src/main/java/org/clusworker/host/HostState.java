package org.clusworker.host;

/**
 * The life of a {@link ResourceHost}.
 *
 * <table>
 *   <caption>Transitions</caption>
 *   <tr><th>from</th><th>to</th><th>trigger</th><th>who calls</th></tr>
 *   <tr><td>NEW</td><td>RUNNING</td><td>{@link ResourceHost#start()}</td><td>the owner</td></tr>
 *   <tr><td>NEW, RUNNING</td><td>CLOSING</td><td>{@link ResourceHost#close()}</td><td>the owner</td></tr>
 *   <tr><td>CLOSING</td><td>CLOSED</td><td>the shutdown sequence ended</td><td>the thread in {@code close()}</td></tr>
 * </table>
 *
 * <p>Ordering invariant: {@code CLOSED} is terminal; requests are accepted only while {@code RUNNING}.
 */
enum HostState {
    /** Built; no agent opened, no thread started. */
    NEW,
    /** Started: resources are driven. */
    RUNNING,
    /** {@code close()} is taking everything offline. */
    CLOSING,
    /** Everything is down, every agent closed (or reported), every thread stopped (or reported). */
    CLOSED;

    /** {@code New}, {@code Running}, ... for messages. */
    String display() {
        return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
