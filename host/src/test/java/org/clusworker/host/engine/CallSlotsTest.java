package org.clusworker.host.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which entry point may run now: one call, plus terminate beside it, never two calls. */
class CallSlotsTest {

    private final CallSlots slots = new CallSlots();

    private static AgentCall call(EntryPoint e) {
        return new AgentCall(e, Instant.EPOCH);
    }

    @Test
    void occupy_secondCallWhileOneRuns_throwsNamingBoth() {
        slots.occupy(call(EntryPoint.ONLINE));
        assertThatThrownBy(() -> slots.occupy(call(EntryPoint.IS_ALIVE)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("isAlive").hasMessageContaining("online");
    }

    @Test
    void terminate_runsBesideACall_butNoNewCallStartsUntilBothReturn() {
        AgentCall online = call(EntryPoint.ONLINE);
        AgentCall terminate = call(EntryPoint.TERMINATE);
        slots.occupy(online);
        assertThat(slots.mayStartTerminate()).isTrue();
        slots.occupy(terminate);
        assertThat(slots.idle()).isFalse();
        slots.release(online);
        assertThat(slots.idle()).isFalse();
        assertThat(slots.release(terminate)).isFalse();
        assertThat(slots.idle()).isTrue();
    }

    @Test
    void mayStartTerminate_whileOneRuns_remembersToRunItAgain() {
        AgentCall terminate = call(EntryPoint.TERMINATE);
        slots.occupy(terminate);
        assertThat(slots.mayStartTerminate()).isFalse();
        assertThat(slots.release(terminate)).isTrue();
        assertThat(slots.mayStartTerminate()).isTrue();
    }

    @Test
    void terminationTarget_isTheRunningCallsWorker_butNeverClose() {
        assertThat(slots.terminationTarget()).isNull();
        AgentCall close = call(EntryPoint.CLOSE);
        slots.occupy(close);
        assertThat(slots.terminationTarget()).isNull();
    }

    @Test
    void release_ofACallHoldingNoSlot_throws() {
        assertThatThrownBy(() -> slots.release(call(EntryPoint.OFFLINE))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("to hold a slot");
    }
}
