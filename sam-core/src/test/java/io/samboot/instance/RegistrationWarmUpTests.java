package io.samboot.instance;

import java.util.Map;

import io.samboot.protocol.Handoff;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The registration's warm-up: only in an instance a supervisor launched, once. */
class RegistrationWarmUpTests {

	@Test
	void startsOnlyInASupervisedInstanceAndOnlyOnce() {
		RegistrationWarmUp warmUp = new RegistrationWarmUp();
		assertThat(warmUp.start(Map.of())).isFalse();
		Map<String, String> instance = Map.of(Handoff.SOCKET, "/nonexistent/control.sock");
		assertThat(warmUp.start(instance)).isTrue();
		assertThat(warmUp.start(instance)).isFalse();
	}

	@Test
	void everyStepRunsWithoutFailingHere() {
		assertThat(RegistrationWarmUp.warmUp()).isEmpty();
	}

}
