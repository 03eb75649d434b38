package org.clusworker.resapi;

import java.util.Map;

/**
 * The Win32 system error codes that the {@link ResUtils} functions return, with their Windows names
 * and messages.
 */
public final class Win32Error {

    /** The operation completed successfully. */
    public static final int ERROR_SUCCESS = 0;
    /** Not enough memory resources are available to process this command. */
    public static final int ERROR_NOT_ENOUGH_MEMORY = 8;
    /** The parameter is incorrect. */
    public static final int ERROR_INVALID_PARAMETER = 87;
    /** The requested resource is in use. */
    public static final int ERROR_BUSY = 170;
    /** The wait operation timed out. */
    public static final int WAIT_TIMEOUT = 258;
    /** An exception occurred in a routine and was not handled. */
    public static final int ERROR_UNHANDLED_EXCEPTION = 574;
    /** The I/O operation has been aborted because of either a thread exit or an application request. */
    public static final int ERROR_OPERATION_ABORTED = 995;
    /** Overlapped I/O operation is in progress. */
    public static final int ERROR_IO_PENDING = 997;
    /** A potential deadlock condition has been detected. */
    public static final int ERROR_POSSIBLE_DEADLOCK = 1131;
    /** This operation returned because the timeout period expired. */
    public static final int ERROR_TIMEOUT = 1460;
    /** The cluster resource could not be brought online by the resource monitor. */
    public static final int ERROR_RESOURCE_FAILED = 5038;

    private record Entry(String name, String message) {
    }

    private static final Map<Integer, Entry> ENTRIES = Map.ofEntries(
            Map.entry(ERROR_SUCCESS, new Entry("ERROR_SUCCESS", "The operation completed successfully.")),
            Map.entry(ERROR_NOT_ENOUGH_MEMORY, new Entry("ERROR_NOT_ENOUGH_MEMORY",
                    "Not enough memory resources are available to process this command.")),
            Map.entry(ERROR_INVALID_PARAMETER, new Entry("ERROR_INVALID_PARAMETER", "The parameter is incorrect.")),
            Map.entry(ERROR_BUSY, new Entry("ERROR_BUSY", "The requested resource is in use.")),
            Map.entry(WAIT_TIMEOUT, new Entry("WAIT_TIMEOUT", "The wait operation timed out.")),
            Map.entry(ERROR_UNHANDLED_EXCEPTION, new Entry("ERROR_UNHANDLED_EXCEPTION",
                    "An exception occurred in the routine and was not handled.")),
            Map.entry(ERROR_OPERATION_ABORTED, new Entry("ERROR_OPERATION_ABORTED",
                    "The I/O operation has been aborted because of either a thread exit or an application request.")),
            Map.entry(ERROR_IO_PENDING, new Entry("ERROR_IO_PENDING", "Overlapped I/O operation is in progress.")),
            Map.entry(ERROR_POSSIBLE_DEADLOCK, new Entry("ERROR_POSSIBLE_DEADLOCK",
                    "A potential deadlock condition has been detected.")),
            Map.entry(ERROR_TIMEOUT, new Entry("ERROR_TIMEOUT",
                    "This operation returned because the timeout period expired.")),
            Map.entry(ERROR_RESOURCE_FAILED, new Entry("ERROR_RESOURCE_FAILED",
                    "The cluster resource could not be brought online by the resource monitor.")));

    private Win32Error() {
    }

    /** The Windows name of {@code code}, e.g. {@code "ERROR_BUSY"}, or {@code "0x000004D2"} for a code not listed here. */
    public static String name(int code) {
        Entry e = ENTRIES.get(code);
        return e != null ? e.name() : String.format("0x%08X", code);
    }

    /** The Windows message of {@code code}, or {@code "Unknown error <code>."} for a code not listed here. */
    public static String message(int code) {
        Entry e = ENTRIES.get(code);
        return e != null ? e.message() : "Unknown error " + Integer.toUnsignedString(code) + ".";
    }

    /** Name, number and message, e.g. {@code "ERROR_BUSY (170): The requested resource is in use."}. */
    public static String describe(int code) {
        return name(code) + " (" + Integer.toUnsignedString(code) + "): " + message(code);
    }
}
