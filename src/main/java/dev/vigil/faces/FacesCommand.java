package dev.vigil.faces;

import dev.vigil.VigilRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.Main;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code vigil faces add PERSON PHOTO... [--face N] | list | forget PERSON [--yes]}: manage the household's
 * face collection. Exit 0 when done, 2 on bad input (nothing changed, or a photo was not indexed), 1 when AWS
 * fails. Without {@code --yes}, forget only says what it would remove.
 */
public final class FacesCommand {

    static final String USAGE = "usage: faces add PERSON PHOTO... [--face N] | faces list | faces forget PERSON [--yes]";

    private FacesCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.isEmpty() || !List.of("add", "list", "forget").contains(args.get(0))) {
            throw new IllegalArgumentException(USAGE);
        }
        Main main = VigilRuntime.create(Map.of("camel.main.autoStartup", "false", "vigil.sample.enabled", "false",
                "vigil.kinesis.enabled", "false", "vigil.api.enabled", "false",
                "vigil.outbox.enabled", "false", "vigil.http.enabled", "false"));
        VigilRuntime.start(main);
        try {
            FaceCollection faces = main.getCamelContext().getRegistry().lookupByNameAndType("faceCollection",
                    FaceCollection.class);
            dev.vigil.teach.ForgetEverywhere everywhere = main.getCamelContext().getRegistry()
                    .lookupByNameAndType("forgetEverywhere", dev.vigil.teach.ForgetEverywhere.class);
            List<String> rest = args.subList(1, args.size());
            return switch (args.get(0)) {
                case "add" -> add(faces, rest, out, err);
                case "list" -> list(faces, rest, out);
                default -> forget(faces, everywhere, rest, out);
            };
        } catch (Refused e) {
            err.println("vigil faces: " + e.getMessage());
            e.details().forEach((k, v) -> err.println("  " + k + ": " + v));
            return 2;
        } catch (AwsServiceException e) {
            err.println("vigil faces: Rekognition refused the request: " + e.awsErrorDetails().errorCode() + ": "
                    + e.awsErrorDetails().errorMessage());
            return 1;
        } catch (SdkException e) {
            err.println("vigil faces: cannot reach Rekognition: " + e.getMessage());
            return 1;
        } finally {
            main.stop();
        }
    }

    private static int add(FaceCollection faces, List<String> args, PrintStream out, PrintStream err) {
        List<String> positional = new ArrayList<>();
        Integer face = null;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--face")) {
                if (i + 1 >= args.size()) {
                    throw new Refused(400, "--face needs a number (1 is the leftmost face)");
                }
                try {
                    face = Integer.valueOf(args.get(++i));
                } catch (NumberFormatException e) {
                    throw new Refused(400, "--face: \"" + args.get(i) + "\" is not a number (1 is the leftmost face)");
                }
            } else {
                positional.add(args.get(i));
            }
        }
        if (positional.size() < 2) {
            throw new Refused(400, "faces add needs a person id and at least one photo; " + USAGE);
        }
        String person = PersonId.check(positional.get(0));
        List<Photo> photos = new ArrayList<>();
        for (String file : positional.subList(1, positional.size())) {
            photos.add(Photo.check(file, read(file)));
        }
        var enrolment = faces.enrol(person, photos, face, "cli " + System.getProperty("user.name"));
        enrolment.indexed().forEach(r -> out.printf("%s: indexed face %s%n", r.photo(), r.faceId()));
        enrolment.notIndexed().forEach(r -> err.printf("%s: not indexed: %s%n", r.photo(), String.join("; ", r.reasons())));
        out.printf("%d of %d photo(s) of %s indexed into collection %s%n", enrolment.indexed().size(), photos.size(),
                person, enrolment.collection());
        if (!enrolment.inHousehold()) {
            out.printf("note: the household file does not list %s yet; add them under people: to name them in alerts%n",
                    person);
        }
        return enrolment.notIndexed().isEmpty() ? 0 : 2;
    }

    private static int list(FaceCollection faces, List<String> args, PrintStream out) {
        if (!args.isEmpty()) {
            throw new Refused(400, "faces list takes no arguments");
        }
        var people = faces.people();
        out.printf("collection %s%n", faces.collection());
        if (people.isEmpty()) {
            out.println("nobody is enrolled and the household file lists nobody");
        }
        for (var p : people) {
            out.printf("%-32s %4d face(s)%s%n", p.id().isEmpty() ? "(faces without a person id)" : p.id(), p.faces(),
                    p.inHousehold() ? "" : "  (not in the household file)");
        }
        return 0;
    }

    /** Forgets the person everywhere (docs/teaching.md): collection, strangers, history, counters; one audit record. */
    private static int forget(FaceCollection faces, dev.vigil.teach.ForgetEverywhere everywhere, List<String> args,
                              PrintStream out) {
        boolean yes = args.contains("--yes");
        List<String> positional = args.stream().filter(a -> !a.equals("--yes")).toList();
        if (positional.size() != 1) {
            throw new Refused(400, "faces forget needs exactly one person id; " + USAGE);
        }
        String person = PersonId.check(positional.get(0));
        if (!yes) {
            int count = faces.facesOf(person).size();
            int alerts = everywhere.alertsOf(person);
            out.printf("would remove %d face(s) of %s from collection %s and erase them from %d alert(s) in the"
                    + " history; run again with --yes to remove them%n", count, person, faces.collection(), alerts);
            return count + alerts == 0 ? 0 : 2;
        }
        var forgotten = everywhere.forget(person, "cli " + System.getProperty("user.name"));
        var collection = forgotten.collection();
        if (forgotten.nothingFound()) {
            out.printf("Vigil holds no face, alert or record of %s: nothing to remove%n", person);
        } else {
            out.printf("removed %d of %d face(s) of %s from collection %s; audit record in %s%n",
                    collection.facesRemoved(), collection.facesFound(), person, faces.collection(), faces.audit().file());
            forgotten.counts().forEach((place, n) -> out.printf("  %-16s %d%n", place, n));
            if (collection.usersDisassociated() > 0) {
                out.printf("their faces were first disassociated from %d user vector(s), which remain%n",
                        collection.usersDisassociated());
            }
            collection.notRemoved().forEach(f -> out.println("not removed: " + f));
        }
        if (forgotten.stillInHousehold()) {
            out.printf("note: the household file still lists %s under people:; remove them there too%n", person);
        }
        return collection.notRemoved().isEmpty() ? 0 : 1;
    }

    private static byte[] read(String file) {
        Path path = Path.of(file);
        try {
            if (Files.size(path) > Photo.MAX_BYTES) {
                throw new Refused(413, file + ": " + Files.size(path) + " bytes; photos may be at most 5 MB");
            }
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new Refused(400, file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
