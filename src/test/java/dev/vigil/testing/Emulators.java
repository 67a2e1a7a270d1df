package dev.vigil.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * The one JUnit 5 extension for tests that reach the outside world ({@code @ExtendWith(Emulators.class)}):
 * <ul>
 *   <li>a {@link Moto} field or parameter: the moto emulator, started once per test JVM and shared by every class,
 *       emptied before each test (POST /moto-api/reset), with this JVM's SDK clients pointed at it;</li>
 *   <li>after each test, every Vigil child process it started ({@link VigilProcess#start}) and left running is
 *       stopped (SIGTERM, then SIGKILL), so a failed assertion never leaves a process holding leases or
 *       ports for the next test.</li>
 * </ul>
 * Temporary directories stay JUnit's {@code @TempDir}.
 */
public final class Emulators implements BeforeEachCallback, AfterEachCallback, ParameterResolver,
        TestInstancePostProcessor {

    /** A field of type Moto in the test class gets the emulator: no set-up method needed. */
    @Override
    public void postProcessTestInstance(Object test, ExtensionContext context) throws Exception {
        for (java.lang.reflect.Field f : test.getClass().getDeclaredFields()) {
            if (f.getType() == Moto.class && !java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                f.setAccessible(true);
                f.set(test, Moto.get());
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Moto.fresh();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        VigilProcess.stopAll();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Moto.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return Moto.get();
    }
}
