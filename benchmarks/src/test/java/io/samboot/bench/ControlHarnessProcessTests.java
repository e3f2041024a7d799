package io.samboot.bench;

import io.samboot.protocol.Message;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke test of the round-trip harness (no benchmark runs here): a real instance JVM
 * registers over the real control channel and answers event-driven checks.
 */
@Tag("process")
class ControlHarnessProcessTests {

	@Test
	@Timeout(60)
	void instanceAnswersHealthChecks() throws Exception {
		try (ControlHarness harness = ControlHarness.start(EventInstance.command())) {
			for (int i = 0; i < 3; i++) {
				Message.HealthCheckResult result = harness.roundTrip();
				assertThat(result.outcome()).isIn(Message.HealthCheckResult.Outcome.UP,
						Message.HealthCheckResult.Outcome.TIMEOUT);
				Thread.sleep(20);
			}
			assertThat(ProcessHandle.of(harness.instancePid())).isPresent();
		}
	}

}
