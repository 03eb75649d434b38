/**
 * JMH benchmarks of the worker, each measured side by side with its baselines in the same run, and the
 * 10,000-worker scale test. {@code benchmarks/run [--quick]} runs them all and prints the ratio table
 * ({@link org.clusworker.benchmarks.RatioTable}).
 *
 * <p>Every benchmark that starts a thread stops it in a {@code @TearDown}, and every such thread is a
 * daemon, so neither a failing benchmark nor a forgotten thread can keep a forked JVM alive.
 */
package org.clusworker.benchmarks;
