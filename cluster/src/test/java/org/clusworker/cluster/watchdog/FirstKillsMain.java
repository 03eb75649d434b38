package org.clusworker.cluster.watchdog;

import java.util.Arrays;
import java.util.List;

/**
 * Run by {@link FenceStopsIT} in a JVM of its own, as a watchdog runs: warms up as the watchdog does, then
 * makes the first kills of a fence on the processes named by its arguments (and on the marked ones its
 * scanner found: none here, through the same code). The classes {@link Before} and {@link After} are loaded
 * right before and right after: a class-loading log shows what the first kills loaded themselves.
 */
final class FirstKillsMain {

    private FirstKillsMain() {
    }

    static final class Before {
    }

    static final class After {
    }

    public static void main(String[] args) {
        Watchdog.warmUp();
        List<Long> pids = Arrays.stream(args).map(Long::parseLong).toList();
        Fence.Scanner scanner = new Fence.Scanner();
        new Before();
        // as the watchdog's fence: the processes it was told of, and those its scans found marked
        List<Long> now = new java.util.ArrayList<>(pids);
        now.addAll(scanner.of(List.of("first-kills")));
        List<Long> leaders = Fence.killNow(now);
        new After();
        System.out.println("leaders " + leaders);
    }
}
