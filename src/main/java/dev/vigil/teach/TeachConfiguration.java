package dev.vigil.teach;

import dev.vigil.aws.AwsClients;
import dev.vigil.config.AreaConfiguration;
import dev.vigil.decide.Decider;
import dev.vigil.faces.FaceCollection;
import dev.vigil.history.HistoryStore;
import dev.vigil.provision.Names;
import dev.vigil.video.KvsMedia;
import dev.vigil.video.SnapshotStore;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;

/**
 * Teaching (docs/teaching.md): {@code teachApi}, {@code peopleApi} (routes 51, 53), {@code decidingFrame}
 * and {@code strangerRecurrence} (30-enrich), {@code strangerRetention} (48-strangers), {@code forgetEverywhere}
 * (API and {@code vigil faces forget}), and the false-match corrections the decider applies. Built on the
 * history store, the face collection, the decider and the video beans bound before it (so it binds in
 * configure(), after them, rather than with @BindToRegistry methods); with the history off, teaching answers 503 and forget erases the collection.
 */
public class TeachConfiguration extends AreaConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent props = context.getPropertiesComponent();
        Registry registry = context.getRegistry();
        HistoryStore history = registry.lookupByNameAndType("historyStore", HistoryStore.class); // null: history off
        FaceCollection faces = registry.lookupByNameAndType("faceCollection", FaceCollection.class);
        Strangers strangers = new Strangers(aws::rekognition, Names.strangers(household.rekognition().collection()),
                settings.positiveDuration("vigil.snapshot.budget")); // an alert waits for the search at most this
        FalseMatches falseMatches = new FalseMatches();
        People people = history == null ? null : new People(household, history, falseMatches, clock);
        if (people != null) {
            // read when the context starts, before any route decides a record: the history is still opening now
            // (OpeningHistoryStore), beside the routes' loading
            beforeRoutesStart(context, () -> falseMatches.load(history, people.ids()));
        }
        Decider decider = registry.lookupByNameAndType("decider", Decider.class);
        if (decider != null) {
            decider.corrections(falseMatches);
        }
        ForgetEverywhere forget = new ForgetEverywhere(faces, strangers, history, falseMatches,
                registry.lookupByNameAndType("snapshotStore", SnapshotStore.class), faces.audit());
        registry.bind("falseMatches", falseMatches);
        registry.bind("forgetEverywhere", forget);
        registry.bind("peopleApi", new PeopleApi(people, faces, forget, json));
        registry.bind("teachApi", new TeachApi(history == null ? null
                : new Teaching(history, faces, strangers, people, falseMatches, clock), json));
        Duration unknownFaces = household.retention().unknownFaces();
        java.util.concurrent.ExecutorService fetcher = context.getExecutorServiceManager()
                .newThreadPool(this, "deciding-frame", 1, 4); // shut down with the context
        registry.bind("decidingFrame", new DecidingFrame(history, history == null ? null : kvsMedia(context, aws),
                household, metrics, settings.positiveDuration("vigil.snapshot.budget"), fetcher));
        registry.bind("strangerRecurrence", new StrangerRecurrence(strangers, history, unknownFaces,
                household.policy().timeZone(), metrics));
        registry.bind("strangerRetention", new StrangerRetention(strangers, history, unknownFaces, clock));
        props.addOverrideProperty("vigil.strangers.enabled", Boolean.toString(history != null
                && settings.flag("vigil.strangers.enabled")));
    }

    /** The shared KvsMedia ({@link KvsMedia#shared}), created here when snapshots, clips and the image engine are off. */
    private static KvsMedia kvsMedia(CamelContext context, AwsClients aws) {
        return KvsMedia.shared(context, aws, Duration.ofSeconds(5));
    }
}
