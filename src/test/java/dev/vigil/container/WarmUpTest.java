package dev.vigil.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code vigil warm-up}, which the build runs under -XX:ArchiveClassesAtExit to make the class data sharing
 * archives: the real routes start, the readiness path answers 200 over HTTP, and it stops and says so.
 */
class WarmUpTest {

    @Test
    void startsTheRealRuntimeUntilReadyThenStopsWithExitZero() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = WarmUp.run(new PrintStream(out, true, StandardCharsets.UTF_8));
        String said = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, said);
        assertTrue(said.startsWith("warm-up: ready in "), said); // said only once the readiness path answered 200
    }

    @Test
    void aPortTakenBeforeTheServerBindsItEndsThatStartInsteadOfWaitingMinutes() throws Exception {
        try (Socket holder = new Socket()) { // bound, not listening: the HTTP server cannot bind it, connects are refused
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long started = System.nanoTime();

            Integer exit = WarmUp.once(new PrintStream(out, true, StandardCharsets.UTF_8), holder.getLocalPort());

            assertNull(exit, out.toString(StandardCharsets.UTF_8));
            assertTrue(System.nanoTime() - started < TimeUnit.MINUTES.toNanos(2), "given up, not waited for 5 minutes");
        }
    }
}
