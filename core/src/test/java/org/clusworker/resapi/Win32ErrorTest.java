package org.clusworker.resapi;

import static org.assertj.core.api.Assertions.assertThat;

import org.clusworker.worker.WorkerExit;
import org.junit.jupiter.api.Test;

class Win32ErrorTest {

    @Test
    void constants_haveTheirWin32Values() {
        assertThat(Win32Error.ERROR_SUCCESS).isZero();
        assertThat(Win32Error.ERROR_NOT_ENOUGH_MEMORY).isEqualTo(8);
        assertThat(Win32Error.ERROR_INVALID_PARAMETER).isEqualTo(87);
        assertThat(Win32Error.ERROR_BUSY).isEqualTo(170);
        assertThat(Win32Error.WAIT_TIMEOUT).isEqualTo(258);
        assertThat(Win32Error.ERROR_UNHANDLED_EXCEPTION).isEqualTo(574);
        assertThat(Win32Error.ERROR_IO_PENDING).isEqualTo(997);
        assertThat(Win32Error.ERROR_POSSIBLE_DEADLOCK).isEqualTo(1131);
        assertThat(ResUtils.INFINITE).isEqualTo(0xFFFFFFFF);
    }

    @Test
    void workerExitCodes_matchTheWin32Codes() {
        assertThat(WorkerExit.UNHANDLED_EXCEPTION).isEqualTo(Win32Error.ERROR_UNHANDLED_EXCEPTION);
        assertThat(WorkerExit.NOT_ENOUGH_MEMORY).isEqualTo(Win32Error.ERROR_NOT_ENOUGH_MEMORY);
    }

    @Test
    void nameAndMessage_knownCode() {
        assertThat(Win32Error.name(170)).isEqualTo("ERROR_BUSY");
        assertThat(Win32Error.message(258)).isEqualTo("The wait operation timed out.");
        assertThat(Win32Error.describe(87)).isEqualTo("ERROR_INVALID_PARAMETER (87): The parameter is incorrect.");
    }

    @Test
    void nameAndMessage_unknownCode_sayItIsUnknown() {
        assertThat(Win32Error.name(1234)).isEqualTo("0x000004D2");
        assertThat(Win32Error.message(-1)).isEqualTo("Unknown error 4294967295.");
    }
}
