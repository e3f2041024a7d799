package io.samboot.supervisor;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.samboot.RecoveryPolicy;
import io.samboot.SamSettings;
import io.samboot.supervisor.SupervisedInstance.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EndRehearsal}: the decision about an instance's end runs on objects of its own,
 * whatever the policy, and the live instance stays as it was.
 */
class EndRehearsalTests {

	private static final Instant WALL = Instant.parse("2025-06-01T12:00:00Z");

	@ParameterizedTest
	@EnumSource(RecoveryPolicy.class)
	void theLiveInstanceIsLeftAsItWasUnderEveryPolicy(RecoveryPolicy policy) {
		SupervisedInstance live = new SupervisedInstance(3, 4242, WALL, 1_000);
		live.registered = true;
		live.phase = Phase.STARTED;
		SamSettings settings = SamSettings.defaults().toBuilder().recoveryPolicy(policy).build();

		EndRehearsal.rehearse(live, settings, Clock.fixed(WALL, ZoneOffset.UTC), 5_000_000_000L);

		assertThat(live.phase).isEqualTo(Phase.STARTED);
		assertThat(live.ending).isNull();
		assertThat(live.registered).isTrue();
		assertThat(live.launched).isNull();
	}

	@Test
	void theDecisionRunsToItsLineAsAtARealCrash() {
		SupervisedInstance live = new SupervisedInstance(3, 4242, WALL, 1_000);
		live.phase = Phase.STARTED;
		List<String> lines = new ArrayList<>();

		EndRehearsal.rehearse(live, SamSettings.defaults(), Clock.fixed(WALL, ZoneOffset.UTC), 5_000_000_000L,
				(level, logger, message, error) -> lines.add(level + " " + message));

		assertThat(lines).containsExactly("INFO instance 3 (pid 4242) ended: killed by SIGKILL, cause exited");
	}

}
