package dev.vigil.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of this process's threads by what they do, from {@code /proc/self/task/N/stat} (Linux; empty
 * elsewhere): the threads that decide (the caller, the lanes), the JIT compilers, the garbage collector, the alert
 * history (its writer and H2's threads), Camel's own threads (an alert's parallel fan-out), the rest. Java's thread
 * bean does not see the JIT and GC threads, and they are what competes with a second lane for the second core
 * (BENCHMARKS.md, "ratio, session 6").
 */
final class ThreadGroupsCpu {

    /** The groups, in print order. */
    static final String[] GROUPS = {"deciding", "JIT", "GC", "history", "Camel", "other"};

    private static final Path TASKS = Path.of("/proc/self/task");
    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ 100 on Linux

    private ThreadGroupsCpu() {
    }

    /** CPU nanoseconds per group so far (all zero where /proc is not readable). */
    static Map<String, Long> snapshot() {
        Map<String, Long> cpu = new LinkedHashMap<>();
        for (String g : GROUPS) {
            cpu.put(g, 0L);
        }
        if (!Files.isDirectory(TASKS)) {
            return cpu;
        }
        try (Stream<Path> tasks = Files.list(TASKS)) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = fields(stat);
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                    cpu.merge(group(name), ticks * NANOS_PER_TICK, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            return cpu;
        }
        return cpu;
    }

    /**
     * The process's minor page faults so far ({@code /proc/self/stat}; -1 where not readable): memory the kernel
     * had to map (and zero) on first touch, e.g. a heap growing back after a full GC shrank it.
     */
    static long minorFaults() {
        try {
            return Long.parseLong(fields(Files.readString(Path.of("/proc/self/stat")))[7]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The fields of a {@code stat} line after the name in brackets (which may hold spaces): [0] state, [7] minflt,
     * [11] utime, [12] stime (proc(5)).
     */
    private static String[] fields(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** {@code after - before} per group, in seconds, as "deciding 2.41 s, JIT 0.30 s, ...". */
    static String delta(Map<String, Long> before, Map<String, Long> after) {
        StringBuilder s = new StringBuilder();
        for (String g : GROUPS) {
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(String.format("%s %.2f", g, (after.get(g) - before.get(g)) / 1e9));
        }
        return s.append(" CPU s").toString();
    }

    /** A thread's group by its (15-character) Linux name. */
    static String group(String name) {
        if (name.equals("java") || name.equals("main") || name.startsWith("vigil-decide-la")) {
            // the launcher's main thread keeps the name "java" on Linux (the JVM does not rename it)
            return "deciding";
        }
        if (name.contains("CompilerThre")) {
            return "JIT";
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return "GC";
        }
        if (name.startsWith("vigil-history") || name.startsWith("H2") || name.startsWith("MVStore")) {
            return "history";
        }
        if (name.startsWith("Camel")) {
            return "Camel";
        }
        return "other";
    }
}
