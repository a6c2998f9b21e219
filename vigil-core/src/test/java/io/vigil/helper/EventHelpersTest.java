package io.vigil.helper;

import io.vigil.event.Actor;
import io.vigil.event.Category;
import io.vigil.event.Target;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EventHelpersTest {

    @Test
    void oneHelperPerCategoryAllOverTheSameRecorder() {
        CapturingRecorder recorder = new CapturingRecorder();
        EventHelpers helpers = new EventHelpers(recorder);
        Actor a = Actor.user("alice");
        helpers.auth().loggedOut(a);
        helpers.authz().accessGranted(a, Target.of("document", "d1"));
        helpers.admin().settingsChanged(a, Target.ofType("gateway"), Map.of("bind", "lan"));
        helpers.configEvents().reloaded(Actor.system(), "vigil.yaml");
        helpers.rateLimit().requestLimited(a, 0);
        helpers.channel().connected(Actor.system(), "slack");
        helpers.session().started(a, "s-1");
        helpers.data().read(a, Target.of("table", "customers"));
        helpers.security().anomalyDetected(a, 0.7, "new_user_agent");

        Set<Category> seen = EnumSet.noneOf(Category.class);
        recorder.events.forEach(e -> seen.add(e.category()));
        assertThat(seen).isEqualTo(EnumSet.complementOf(EnumSet.of(Category.AUDIT)));
    }
}
