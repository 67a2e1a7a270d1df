package dev.vigil.operate;

/**
 * After a stop that SIGTERM started: the JVM is already running its shutdown hooks (Camel's waits for the
 * context to stop), so {@code System.exit(0)} would block and the JVM would end with 143. Once Vigil has
 * stopped cleanly it ends with 0 instead, as orchestrators expect from a graceful stop.
 */
public final class GracefulExit {

    private GracefulExit() {
    }

    /** Halts with 0 if the JVM is shutting down (a signal); otherwise returns and the caller exits normally. */
    public static void afterStop() {
        if (shuttingDown()) {
            org.apache.logging.log4j.LogManager.shutdown();
            Runtime.getRuntime().halt(0);
        }
    }

    static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
