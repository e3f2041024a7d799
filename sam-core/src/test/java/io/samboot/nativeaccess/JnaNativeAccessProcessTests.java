package io.samboot.nativeaccess;

import java.util.concurrent.TimeUnit;

import io.samboot.PosixSignal;
import io.samboot.testsupport.TestProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link NativeAccess#get()} as it is on Linux and macOS with JNA, against real processes
 * this test starts; {@link JnaNativeAccessTests} has what needs none.
 */
@Tag("process")
class JnaNativeAccessProcessTests {

	private final TestProcesses processes = new TestProcesses();

	private NativeAccess access;

	@BeforeEach
	void nativeAccess() {
		this.access = NativeAccess.get();
		assumeTrue(this.access.isNative(), "JNA is not available here");
	}

	@AfterEach
	void stopProcesses() {
		this.processes.close();
	}

	@ParameterizedTest
	@EnumSource(names = { "TERM", "KILL", "USR1" })
	void killDeliversTheSignal(PosixSignal signal) throws Exception {
		Process sleep = this.processes.startSleep();
		assertThat(this.access.kill(sleep.pid(), signal)).isTrue();
		assertThat(sleep.waitFor(10, TimeUnit.SECONDS)).as("sleep ended").isTrue();
		assertThat(sleep.exitValue()).isEqualTo(128 + signal.number());
	}

	@Test
	void killOfAbsentProcessReturnsFalse() throws Exception {
		long pid = this.processes.reapedPid();
		assumeTrue(ProcessHandle.of(pid).isEmpty(), "PID reused already");
		assertThat(this.access.kill(pid, PosixSignal.TERM)).isFalse();
	}

}
