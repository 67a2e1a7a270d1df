package dev.vigil.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Reads the household YAML file and validates it; any problem is a {@link ConfigException} naming the key. */
public final class HouseholdLoader {

    /** The mapper, in a class of its own: built by the first thread that uses it, the preparing one at start-up. */
    private static final class Mapper {
        static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .addModule(new JavaTimeModule())
                .addModule(new SimpleModule().addDeserializer(Duration.class, new DurationText()))
                .build();
    }

    private static final Map<Class<?>, String> HINTS = Map.of(
            Duration.class, " Write it like 30s, 5m, 2h or PT30S.",
            LocalTime.class, " Write it like \"22:30\".",
            ZoneId.class, " Use a time zone name such as Europe/London.");

    private HouseholdLoader() {
    }

    /** The thread {@link #prepareInBackground} started, if any: {@link #load} waits for it. */
    private static Thread preparing;

    /**
     * Builds Jackson's deserializers of the household file's types (the first use of Jackson, its YAML parser and
     * the introspection of the file's records: about a tenth of a start) on a daemon thread, while the main
     * thread starts logging and Camel; {@link #load} waits for it, so the two never use the mapper at once
     * (issue 15, docs/start-up.md). Starts once; later calls do nothing.
     */
    public static synchronized void prepareInBackground() {
        if (preparing == null) {
            preparing = new Thread(HouseholdLoader::prepare, "vigil-household-prepare");
            preparing.setDaemon(true);
            preparing.start();
        }
    }

    private static void prepare() {
        try {
            Mapper.YAML.readerFor(Household.class); // builds and caches the deserializers load() will use
            Mapper.YAML.readTree("prepared: true");
        } catch (IOException | RuntimeException e) {
            // nothing prepared: load() builds what it needs, and reports any problem itself
        }
    }

    private static void awaitPrepared() {
        Thread thread;
        synchronized (HouseholdLoader.class) {
            thread = preparing;
        }
        if (thread != null) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Loads the file at {@code location}: a path, or {@code classpath:name} for a bundled file. */
    public static Household load(String location) {
        awaitPrepared();
        try (InputStream in = open(location)) {
            byte[] text = in.readAllBytes();
            JsonNode tree = Mapper.YAML.readTree(text);
            Household household = tree == null || tree.isMissingNode() || tree.isNull()
                    ? new Household(null, null, null) // an empty file (or only comments): all defaults
                    : Mapper.YAML.readValue(text, Household.class);
            HouseholdValidator.validate(household, location);
            return household;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(prefix(location) + path(e.getPath().subList(0, e.getPath().size() - 1))
                    + ": unknown key \"" + e.getPropertyName()
                    + "\". Known keys here: " + e.getKnownPropertyIds() + ".");
        } catch (InvalidFormatException e) {
            String allowed = e.getTargetType().isEnum()
                    ? " Use one of " + Arrays.stream(e.getTargetType().getEnumConstants())
                    .map(c -> c.toString().toLowerCase()).collect(Collectors.joining(", ")) + "."
                    : HINTS.getOrDefault(e.getTargetType(), "");
            throw new ConfigException(prefix(location) + path(e.getPath()) + ": \"" + e.getValue() + "\" is not a valid "
                    + e.getTargetType().getSimpleName() + "." + allowed);
        } catch (JsonMappingException e) {
            throw new ConfigException(prefix(location) + path(e.getPath()) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(prefix(location) + "cannot be read (" + e.getMessage()
                    + "). Set VIGIL_CONFIG to the path of your household YAML file.");
        }
    }

    private static InputStream open(String location) throws IOException {
        if (location.startsWith("classpath:")) {
            InputStream in = HouseholdLoader.class.getClassLoader()
                    .getResourceAsStream(location.substring("classpath:".length()));
            if (in == null) {
                throw new IOException("no such bundled file");
            }
            return in;
        }
        return Files.newInputStream(Path.of(location));
    }

    static String prefix(String location) {
        return "Invalid household config " + location + ": ";
    }

    private static String path(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
            }
        }
        return sb.isEmpty() ? "(top level)" : sb.toString();
    }
}
