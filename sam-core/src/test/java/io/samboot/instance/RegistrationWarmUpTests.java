package io.samboot.instance;

import java.util.Map;

import io.samboot.protocol.Handoff;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registration's warm-up: only in an instance a supervisor launched, once per JVM.
 * Alone: whether it started is the JVM's.
 */
@Isolated
class RegistrationWarmUpTests {

	@Test
	void startsOnlyInASupervisedInstanceAndOnlyOnce() {
		assertThat(RegistrationWarmUp.startIfSupervised(Map.of())).isFalse();
		Map<String, String> instance = Map.of(Handoff.SOCKET, "/nonexistent/control.sock");
		assertThat(RegistrationWarmUp.startIfSupervised(instance)).isTrue();
		assertThat(RegistrationWarmUp.startIfSupervised(instance)).isFalse();
	}

}
