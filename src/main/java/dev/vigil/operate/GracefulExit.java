package dev.vigil.operate;

import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.logging.log4j.LogManager;

/**
 * Exit 0 after a graceful stop on SIGTERM. The JVM ends a signalled process with 143 once its shutdown hooks
 * have run; Camel's hook waits for the context to stop (up to its shutdown timeout plus 15 s). This hook waits
 * alike and, once Camel has stopped cleanly, halts with 0, as orchestrators expect from a graceful stop; with 1
 * when a part reported it could not stop gracefully ({@link #incomplete}: KCL's graceful shutdown timed out, so
 * records since the last checkpoint will be read again). If the context has not stopped by then, it returns and
 * the JVM ends as usual (143).
 */
public final class GracefulExit {

    private static volatile String incomplete;

    private GracefulExit() {
    }

    /** Something did not stop cleanly (KCL's graceful shutdown timed out): the exit code is 1, not 0. */
    public static void incomplete(String why) {
        incomplete = why;
    }

    /** Installs the hook for a started runtime. */
    public static void install(CamelContext context) {
        long maxMs = TimeUnit.SECONDS.toMillis(context.getShutdownStrategy().getTimeout() + 20);
        Thread hook = new Thread(() -> {
            long deadline = System.currentTimeMillis() + maxMs;
            while (!context.isStopped() && System.currentTimeMillis() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (context.isStopped()) {
                String why = incomplete;
                if (why != null) {
                    org.slf4j.LoggerFactory.getLogger(GracefulExit.class).warn("stopped, but not cleanly: {}; exit 1", why);
                }
                LogManager.shutdown();
                Runtime.getRuntime().halt(why == null ? 0 : 1);
            }
        }, "vigil-graceful-exit");
        Runtime.getRuntime().addShutdownHook(hook);
    }
}
