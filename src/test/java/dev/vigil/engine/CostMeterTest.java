package dev.vigil.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Counting billable calls, the estimated spend, and the budget levels per camera and household. */
class CostMeterTest {

    static final Instant NOON = Instant.parse("2026-11-25T12:00:00Z");
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final CostMeter costs = new CostMeter(new CostMeter.Prices(0.001, 0.0002), new CostMeter.Budget(0.010, 0.015, 0.8),
            Map.of("garden", 0.002), ZoneId.of("Europe/London"), metrics);

    @Test
    void everyCallIsCountedPerCameraAndApiWithItsEstimatedCost() {
        costs.charge("front-door", CostMeter.Api.DETECT_FACES, 1, NOON);
        costs.charge("front-door", CostMeter.Api.SEARCH_FACES_BY_IMAGE, 2, NOON);
        costs.charge("front-door", CostMeter.Api.GET_IMAGES, 5, NOON);
        costs.charge("driveway", CostMeter.Api.DETECT_FACES, 1, NOON);

        assertEquals(1, metrics.counter("vigil.rekognition.calls", "camera", "front-door", "api", "DetectFaces").count());
        assertEquals(2, metrics.counter("vigil.rekognition.calls", "camera", "front-door", "api", "SearchFacesByImage").count());
        assertEquals(5, metrics.counter("vigil.kvs.calls", "camera", "front-door", "api", "GetImages").count());
        assertEquals(0.004, metrics.find("vigil.estimated.cost").tag("camera", "front-door").counter().count(), 1e-12);
        assertEquals("usd", metrics.find("vigil.estimated.cost").tag("camera", "front-door").counter().getId().getBaseUnit());
        assertEquals(0.004, costs.spentToday("front-door"), 1e-12);
        assertEquals(0.001, costs.spentToday("driveway"), 1e-12);
        assertEquals(2, costs.callsToday("front-door", CostMeter.Api.SEARCH_FACES_BY_IMAGE));
    }

    @Test
    void aCameraSlowsAtEightyPercentOfItsBudgetAndStopsAtAllOfIt() {
        assertEquals(CostMeter.Level.NORMAL, costs.level("front-door", NOON));
        costs.charge("front-door", CostMeter.Api.DETECT_FACES, 7, NOON);
        assertEquals(CostMeter.Level.NORMAL, costs.level("front-door", NOON));
        costs.charge("front-door", CostMeter.Api.DETECT_FACES, 1, NOON);
        assertEquals(CostMeter.Level.SLOW, costs.level("front-door", NOON));
        costs.charge("front-door", CostMeter.Api.DETECT_FACES, 2, NOON);
        assertEquals(CostMeter.Level.MOTION_ONLY, costs.level("front-door", NOON));
        assertEquals(CostMeter.Level.NORMAL, costs.level("driveway", NOON), "other cameras are not affected yet");
    }

    @Test
    void aCameraOwnBudgetWinsOverTheDefault() {
        costs.charge("garden", CostMeter.Api.DETECT_FACES, 2, NOON);
        assertEquals(CostMeter.Level.MOTION_ONLY, costs.level("garden", NOON));
    }

    @Test
    void theHouseholdBudgetLimitsEveryCamera() {
        costs.charge("front-door", CostMeter.Api.DETECT_FACES, 7, NOON);
        costs.charge("driveway", CostMeter.Api.DETECT_FACES, 7, NOON);
        assertEquals(CostMeter.Level.SLOW, costs.level("back", NOON), "$0.014 of $0.015: the household is nearly spent");
        costs.charge("driveway", CostMeter.Api.DETECT_FACES, 1, NOON);
        assertEquals(CostMeter.Level.MOTION_ONLY, costs.level("back", NOON));
        assertEquals(true, costs.householdLimited("back", NOON));
    }

    @Test
    void spendStartsAgainAtMidnightInTheHouseholdsZoneAndALateFrameDoesNotResetIt() {
        costs.charge("front-door", CostMeter.Api.DETECT_FACES, 10, NOON);
        assertEquals(CostMeter.Level.MOTION_ONLY, costs.level("front-door", NOON));
        Instant tomorrow = Instant.parse("2026-11-26T00:00:01Z"); // London is on UTC in November
        assertEquals(CostMeter.Level.NORMAL, costs.level("front-door", tomorrow));
        costs.charge("front-door", CostMeter.Api.DETECT_FACES, 3, NOON);
        assertEquals(0.003, costs.spentToday("front-door"), 1e-12, "counted into today, which started at midnight");
    }
}
