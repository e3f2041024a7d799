package io.samboot.nativeaccess;

import java.util.concurrent.TimeUnit;

import io.samboot.PosixSignal;
import io.samboot.testsupport.TestProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@link ProcessHandle} fallback, used directly, against real processes this test
 * starts; {@link FallbackNativeAccessTests} has what needs none.
 */
@Tag("process")
class FallbackNativeAccessProcessTests {

	private final TestProcesses processes = new TestProcesses();

	private final FallbackNativeAccess access = new FallbackNativeAccess();

	@AfterEach
	void stopProcesses() {
		this.processes.close();
	}

	@ParameterizedTest
	@EnumSource(names = { "TERM", "KILL" })
	void killDeliversTermAndKill(PosixSignal signal) throws Exception {
		Process sleep = this.processes.startSleep();
		assertThat(this.access.kill(sleep.pid(), signal)).isTrue();
		assertThat(sleep.waitFor(10, TimeUnit.SECONDS)).as("sleep ended").isTrue();
		assertThat(sleep.exitValue()).isEqualTo(128 + signal.number());
	}

	@Test
	void killWithAnotherSignalExplainsThatJnaIsNeeded() throws Exception {
		Process sleep = this.processes.startSleep();
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> this.access.kill(sleep.pid(), PosixSignal.USR1))
			.withMessageContaining("kill(pid=" + sleep.pid() + ", signal=SIGUSR1")
			.withMessageContaining("only send SIGTERM and SIGKILL")
			.withMessageContaining("net.java.dev.jna:jna");
		assertThat(sleep.isAlive()).isTrue();
	}

	@Test
	void killOfAbsentProcessReturnsFalse() throws Exception {
		long pid = this.processes.reapedPid();
		assumeTrue(ProcessHandle.of(pid).isEmpty(), "PID reused already");
		assertThat(this.access.kill(pid, PosixSignal.TERM)).isFalse();
		assertThat(this.access.kill(pid, PosixSignal.KILL)).isFalse();
	}

}
