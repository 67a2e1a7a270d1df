package dev.vigil.faces;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The people API behind routes/51-api-people.camel.yaml: enrol (raw image/jpeg or image/png body); listing
 * and forgetting are the teaching side's (dev.vigil.teach.PeopleApi). Authentication and error answers are {@link dev.vigil.api.ApiGate}'s (routes/50-api.camel.yaml).
 * Responses carry only the headers set here.
 */
public class FacesApi {

    private final FaceCollection faces;
    private final ObjectMapper json;

    public FacesApi(FaceCollection faces, ObjectMapper json) {
        this.faces = faces;
        this.json = json;
    }

    /** POST /api/people/{id}/faces[?face=N] with the photo as the raw body. */
    public void enrol(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        String person = PersonId.check(in.getHeader("id", String.class));
        String type = String.valueOf(in.getHeader(Exchange.CONTENT_TYPE, "", String.class)).split(";")[0].trim()
                .toLowerCase();
        if (!type.equals("image/jpeg") && !type.equals("image/png")) {
            throw new Refused(415, "send the photo as the raw request body with Content-Type image/jpeg or image/png"
                    + (type.isEmpty() ? "" : ", not " + type));
        }
        byte[] body = in.getBody(byte[].class);
        Photo photo = Photo.check("upload", body == null ? new byte[0] : body);
        if (!type.equals("image/" + photo.format())) {
            throw new Refused(400, "upload: declared " + type + " but the bytes are a " + photo.format().toUpperCase()
                    + " image; send the right Content-Type");
        }
        Integer face = faceNumber(in.getHeader("face", String.class));
        var enrolment = faces.enrol(person, List.of(photo), face, requestedBy(exchange));
        if (enrolment.indexed().isEmpty()) {
            throw new Refused(422, "no face indexed: " + String.join("; ", enrolment.notIndexed().get(0).reasons()),
                    Map.of("person", person, "notIndexed", enrolment.notIndexed()));
        }
        respond(exchange, 201, enrolment);
    }

    private void respond(Exchange exchange, int status, Object body) throws Exception {
        dev.vigil.api.ApiGate.respond(exchange, json, status, body);
    }

    private static Integer faceNumber(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw new Refused(400, "face: \"" + text + "\" is not a number; 1 is the leftmost face");
        }
    }

    private static String requestedBy(Exchange exchange) {
        Object remote = exchange.getMessage().getHeader("CamelVertxPlatformHttpRemoteAddress");
        return "api " + (remote == null ? "unknown" : remote.toString());
    }
}
