package dev.vigil.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** AWS may add processor statuses: an unknown or missing one must not end the lifecycle check. */
class ProcessorStateTest {

    @Test
    void aStatusThisVersionDoesNotKnowIsUnknown() {
        assertEquals(ProcessorWatch.State.RUNNING, ProcessorWatch.state("RUNNING"));
        assertEquals(ProcessorWatch.State.UNKNOWN, ProcessorWatch.state("PAUSED_FOR_MAINTENANCE"));
        assertEquals(ProcessorWatch.State.UNKNOWN, ProcessorWatch.state(null));
    }
}
