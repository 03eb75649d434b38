package org.clusworker.host.engine;


import org.clusworker.host.ResourceState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.clusworker.host.ResourceState.FAILED;
import static org.clusworker.host.ResourceState.OFFLINE;
import static org.clusworker.host.ResourceState.OFFLINE_PENDING;
import static org.clusworker.host.ResourceState.ONLINE;
import static org.clusworker.host.ResourceState.ONLINE_PENDING;
import static org.clusworker.host.ResourceState.UNKNOWN;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The transition table of {@link ResourceState}'s javadoc, as {@link Transition} encodes it. */
class TransitionTest {

    /** The table, row by row: from, to. */
    private static final Set<List<ResourceState>> TABLE = Set.of(
            List.of(UNKNOWN, OFFLINE),
            List.of(UNKNOWN, FAILED),
            List.of(OFFLINE, ONLINE_PENDING),
            List.of(FAILED, ONLINE_PENDING),
            List.of(ONLINE_PENDING, ONLINE),
            List.of(ONLINE_PENDING, OFFLINE_PENDING),
            List.of(ONLINE, OFFLINE_PENDING),
            List.of(OFFLINE_PENDING, OFFLINE),
            List.of(FAILED, OFFLINE),
            List.of(ONLINE_PENDING, FAILED),
            List.of(OFFLINE_PENDING, FAILED),
            List.of(ONLINE, FAILED));

    @Test
    void allowed_everyPairOfStates_exactlyTheTableRows() {
        Set<List<ResourceState>> allowed = new HashSet<>();
        for (ResourceState from : ResourceState.values()) {
            for (ResourceState to : ResourceState.values()) {
                if (Transition.allowed(from, to)) {
                    allowed.add(List.of(from, to));
                }
            }
        }
        assertThat(allowed).isEqualTo(TABLE);
    }

    @Test
    void allowed_nothingLeadsBackToUnknownOrStaysPut() {
        for (ResourceState s : ResourceState.values()) {
            assertThat(Transition.allowed(s, UNKNOWN)).isFalse();
            assertThat(Transition.allowed(s, s)).isFalse();
        }
    }

    @Test
    void check_fromAnotherState_throwsNamingResourceAndStates() {
        assertThatThrownBy(() -> Transition.ONLINE_DONE.check("db", FAILED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Expected resource db to be OnlinePending (to move to Online by ONLINE_DONE), but was Failed");
        assertThatThrownBy(() -> Transition.ONLINE_STARTED.check("db", ONLINE))
                .hasMessageStartingWith("Expected resource db to be Offline or Failed");
    }

    @Test
    void check_fromARowsState_passes() {
        for (Transition t : Transition.values()) {
            for (ResourceState from : t.from()) {
                t.check("db", from);
            }
        }
    }

    @Test
    void codes_areWindowsClusterResourceStateNumbers() {
        assertThat(List.of(UNKNOWN, ONLINE, OFFLINE, FAILED, ONLINE_PENDING, OFFLINE_PENDING))
                .extracting(ResourceState::code).containsExactly(-1, 2, 3, 4, 129, 130);
        assertThat(ResourceState.ofCode(129)).isEqualTo(ONLINE_PENDING);
        assertThatThrownBy(() -> ResourceState.ofCode(5)).isInstanceOf(IllegalArgumentException.class);
    }
}
