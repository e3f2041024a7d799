package io.samboot.nativeaccess;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ProcessIdsTests {

	@Test
	void acceptsSingleProcesses() {
		assertThat(ProcessIds.require(1)).isEqualTo(1);
		assertThat(ProcessIds.require(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
	}

	@Test
	void refusesWhatKillWouldTakeForAProcessGroup() {
		for (long pid : new long[] { 0, -1, -42, Integer.MAX_VALUE + 1L, Long.MAX_VALUE }) {
			assertThatIllegalArgumentException().as("PID %d", pid)
				.isThrownBy(() -> ProcessIds.require(pid))
				.withMessageContaining(Long.toString(pid));
		}
	}

}
