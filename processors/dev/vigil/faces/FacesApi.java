package dev.vigil.faces;

import dev.vigil.ApiAuth;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The people API behind routes/50-api-faces.camel.yaml: bearer-token check, enrol (raw image/jpeg or
 * image/png body), list, forget, and the JSON error answers. Responses carry only the headers set here.
 */
public class FacesApi {

    private static final Logger LOG = LoggerFactory.getLogger(FacesApi.class);

    private final FaceCollection faces;
    private final ApiAuth auth;
    private final ObjectMapper json;

    public FacesApi(FaceCollection faces, ApiAuth auth, ObjectMapper json) {
        this.faces = faces;
        this.auth = auth;
        this.json = json;
    }

    /** 401 unless the request is authenticated ({@link ApiAuth}, the one check of every API). */
    public void authorise(Exchange exchange) {
        auth.authorise(exchange);
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

    public void list(Exchange exchange) throws Exception {
        respond(exchange, 200, Map.of("collection", faces.collection(), "people", faces.people()));
    }

    /** DELETE /api/people/{id}: 200 with the counts, 404 when the collection holds no face of theirs. */
    public void forget(Exchange exchange) throws Exception {
        String person = PersonId.check(exchange.getMessage().getHeader("id", String.class));
        var forgotten = faces.forget(person, requestedBy(exchange));
        if (forgotten.facesFound() == 0) {
            throw new Refused(404, "the collection " + faces.collection() + " holds no face of " + person,
                    Map.of("person", person, "stillInHousehold", forgotten.stillInHousehold()));
        }
        respond(exchange, 200, forgotten);
    }

    /** The answer to a {@link Refused} request: its status and {"error": ..., details...}. */
    public void refused(Exchange exchange) throws Exception {
        Refused refused = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Refused.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", refused.getMessage());
        body.putAll(refused.details());
        boolean tokenSent = exchange.getMessage().getHeader("Authorization") != null;
        respond(exchange, refused.status(), body);
        if (refused.status() == 401) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer realm=\"vigil\""
                    + (tokenSent ? ", error=\"invalid_token\"" : ""));
        }
    }

    /** A failure talking to AWS (502) or of Vigil itself (500), in plain words; details go to the log. */
    public void failed(Exchange exchange) throws Exception {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e instanceof AwsServiceException aws) {
            LOG.warn("People API: Rekognition failed: {} {}", aws.awsErrorDetails().errorCode(), aws.getMessage());
            respond(exchange, 502, Map.of("error", "Rekognition refused the request: "
                    + aws.awsErrorDetails().errorCode() + ": " + aws.awsErrorDetails().errorMessage()));
        } else if (e instanceof SdkException sdk) {
            LOG.warn("People API: cannot reach Rekognition: {}", sdk.getMessage());
            respond(exchange, 502, Map.of("error", "cannot reach Rekognition: " + sdk.getMessage()));
        } else {
            LOG.warn("People API failed", e);
            respond(exchange, 500, Map.of("error", "internal error: " + e.getClass().getSimpleName()
                    + " (see Vigil's log)"));
        }
    }

    private void respond(Exchange exchange, int status, Object body) throws Exception {
        Message out = exchange.getMessage();
        out.removeHeaders("*"); // nothing of the request (Authorization, path, query) goes back
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(json.writeValueAsBytes(body));
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
