package dev.vigil.teach;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.ApiGate;
import dev.vigil.faces.FaceCollection;
import dev.vigil.faces.PersonId;
import dev.vigil.faces.Refused;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The people API's teaching side (routes/51-api-people, 53-api-teach): POST /api/people {"id", "name"} adds
 * a runtime person (kept in the history store; the household file is never rewritten), GET /api/people lists
 * everyone with their false matches and corrections, DELETE /api/people/{id} forgets a person everywhere.
 */
public class PeopleApi {

    private final People people;
    private final FaceCollection faces;
    private final ForgetEverywhere forget;
    private final ObjectMapper json;

    public PeopleApi(People people, FaceCollection faces, ForgetEverywhere forget, ObjectMapper json) {
        this.people = people;
        this.faces = faces;
        this.forget = forget;
        this.json = json;
    }

    /** POST /api/people: 201 with the runtime person; 409 when the household file lists them already. */
    public void add(Exchange exchange) throws Exception {
        if (people == null) {
            throw new Refused(503, "runtime people are kept in the alert history, which is off"
                    + " (vigil.history.enabled=false); add them to the household file instead");
        }
        String id = TeachApi.field(exchange, json, "id", true);
        String name = TeachApi.field(exchange, json, "name", false);
        ApiGate.respond(exchange, json, 201, people.add(id, name, TeachApi.requestedBy(exchange)));
    }

    /** GET /api/people. */
    public void list(Exchange exchange) throws Exception {
        ApiGate.respond(exchange, json, 200, Map.of("collection", faces.collection(),
                "people", people == null ? faces.people() : people.list(faces)));
    }

    /** DELETE /api/people/{id}: 200 with the counts per place, 404 when Vigil holds nothing of the person. */
    public void forget(Exchange exchange) throws Exception {
        String person = PersonId.check(exchange.getMessage().getHeader("id", String.class));
        ForgetEverywhere.Forgotten forgotten = forget.forget(person, TeachApi.requestedBy(exchange));
        if (forgotten.nothingFound()) {
            throw new Refused(404, "Vigil holds no face, alert or record of " + person,
                    Map.of("person", person, "stillInHousehold", forgotten.stillInHousehold()));
        }
        ApiGate.respond(exchange, json, 200, forgotten);
    }
}
