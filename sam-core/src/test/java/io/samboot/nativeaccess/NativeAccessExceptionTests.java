package io.samboot.nativeaccess;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NativeAccessExceptionTests {

	@Test
	void messageNamesCallErrnoStrerrorAndAction() {
		NativeAccessException ex = new NativeAccessException("kill(pid=42, signal=SIGTERM (15))", 1,
				"Operation not permitted", "check the PID");
		assertThat(ex).hasMessage(
				"kill(pid=42, signal=SIGTERM (15)) failed with errno 1 (Operation not permitted): " + "check the PID");
		assertThat(ex.getOperation()).isEqualTo("kill(pid=42, signal=SIGTERM (15))");
		assertThat(ex.getErrno()).isEqualTo(1);
	}

	@Test
	void messageWithoutErrnoNamesCallProblemAndAction() {
		NativeAccessException ex = new NativeAccessException("kill(pid=42, signal=SIGUSR1 (10))", "not possible",
				"add JNA");
		assertThat(ex).hasMessage("kill(pid=42, signal=SIGUSR1 (10)) failed: not possible; add JNA");
		assertThat(ex.getErrno()).isZero();
	}

	@Test
	void jnaStrerrorGivesTheTextForMessages() {
		assumeTrue(NativeAccess.get().isNative());
		assertThat(((PosixNativeAccess) NativeAccess.get()).strerror(Libc.ESRCH)).isEqualTo("No such process");
	}

}
