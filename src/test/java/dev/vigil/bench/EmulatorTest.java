package dev.vigil.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EmulatorTest {

    @Test
    void ordinalOfMotoSequenceNumbersIsTheNumber() {
        assertEquals(1, Emulator.ordinal("1"));
        assertEquals(1204, Emulator.ordinal("1204"));
    }

    @Test
    void ordinalOfKinesaliteSequenceNumbersCountsRecordsOfTheShardFromOne() {
        // the 1st, 2nd, 3rd and 1204th record put to a one-shard stream of kinesalite 3.3.3
        assertEquals(1, Emulator.ordinal("49680907126408434617656277547210691756943370688990806018"));
        assertEquals(2, Emulator.ordinal("49680907126408434617656277547211900682762985318165512194"));
        assertEquals(3, Emulator.ordinal("49680907126408434617656277547213109608582599947340218370"));
        assertEquals(1204, Emulator.ordinal("49680907126408434617656277548665029517939769723601289218"));
    }
}
