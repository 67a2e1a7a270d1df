package dev.vigil.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.config.ImageSampling;
import dev.vigil.testing.Scenes;
import java.awt.Color;
import java.awt.Rectangle;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The motion gate on real JPEG frames: noise is not motion, a person is, masks and sensitivity work. */
class MotionGateTest {

    private final MotionGate normal = new MotionGate(0.5, List.of());

    @Test
    void sensorNoiseAndJpegArtefactsAreNotMotion() {
        int[] previous = thumb(Scenes.frame(1));
        for (long seed = 2; seed < 12; seed++) {
            int[] current = thumb(Scenes.frame(seed));
            MotionGate.Result r = normal.compare(previous, current);
            assertFalse(r.motion(), "seed " + seed + ": " + r.changedRatio());
            previous = current;
        }
    }

    @Test
    void aPersonWalkingInIsMotionAndTheRegionIsWhereTheyAre() {
        MotionGate.Result r = normal.compare(thumb(Scenes.frame(1)), thumb(Scenes.frame(2, Scenes.person(100, Scenes.ALICE))));
        assertTrue(r.motion());
        assertEquals(100.0 / Scenes.WIDTH, r.region().left(), 2.0 / MotionGate.WIDTH);
        assertEquals(95.0 / Scenes.HEIGHT, r.region().top(), 2.0 / MotionGate.HEIGHT);
        assertEquals(70.0 / Scenes.WIDTH, r.region().width(), 3.0 / MotionGate.WIDTH);
    }

    @Test
    void aPersonMovingBetweenFramesIsMotion() {
        assertTrue(normal.compare(thumb(Scenes.frame(1, Scenes.person(100, Scenes.ALICE))),
                thumb(Scenes.frame(2, Scenes.person(130, Scenes.ALICE)))).motion());
    }

    @Test
    void theFirstFrameHasNothingToCompareWith() {
        MotionGate.Result r = normal.compare(null, thumb(Scenes.frame(1)));
        assertFalse(r.motion());
        assertNull(r.region());
    }

    @Test
    void changesInAMaskedRegionAreIgnored() {
        // a road along the bottom fifth of the picture: cars there are not visitors
        MotionGate masked = new MotionGate(0.5, List.of(new ImageSampling.Region(0, 0.8, 1, 0.2)));
        Scenes.Shape car = new Scenes.Shape(new Rectangle(200, 300, 160, 55), Color.WHITE);
        int[] before = thumb(Scenes.frame(1));
        int[] after = thumb(Scenes.frame(2, car));
        assertTrue(normal.compare(before, after).motion(), "unmasked, the car is motion");
        assertFalse(masked.compare(before, after).motion());
        assertTrue(masked.compare(before, thumb(Scenes.frame(3, Scenes.person(100, Scenes.ALICE)))).motion(),
                "outside the mask motion still counts");
    }

    @Test
    void sensitivityDecidesWhetherASmallChangeCounts() {
        Scenes.Shape cat = new Scenes.Shape(new Rectangle(100, 250, 40, 25), new Color(30, 30, 30));
        int[] before = thumb(Scenes.frame(1));
        int[] after = thumb(Scenes.frame(2, cat));
        assertTrue(new MotionGate(1.0, List.of()).compare(before, after).motion(), "most sensitive: a cat is motion");
        assertFalse(new MotionGate(0.0, List.of()).compare(before, after).motion(), "least sensitive: it is not");
    }

    private static int[] thumb(byte[] jpeg) {
        try {
            return MotionGate.thumbnail(ImageIO.read(new ByteArrayInputStream(jpeg)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
