package io.samboot.bench;

import io.samboot.PosixSignal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * What the suite reads of a real process in {@code /proc}: whether it ignores SIGHUP, as
 * everything started under {@code nohup} does (the suite then refuses to run the standby
 * section).
 */
@Tag("process")
class ProcFsProcessTests {

	private Process process;

	@AfterEach
	void stop() {
		if (this.process != null) {
			this.process.destroyForcibly();
		}
	}

	@Test
	@Timeout(30)
	void aProcessThatIgnoresSighupIsSeenToIgnoreIt() throws Exception {
		this.process = new ProcessBuilder("sh", "-c", "trap '' HUP; exec sleep 30").start();
		awaitExec(this.process);

		assertThat(ProcFs.ignores(this.process.pid(), PosixSignal.HUP.number())).isTrue();
		assertThat(ProcFs.ignores(this.process.pid(), PosixSignal.TERM.number())).isFalse();
	}

	@Test
	@Timeout(30)
	void aProcessStartedPlainlyDoesNotIgnoreSighup() throws Exception {
		assumeFalse(ProcFs.ignores(ProcessHandle.current().pid(), PosixSignal.HUP.number()),
				"these tests run under nohup: every process they start ignores SIGHUP");
		this.process = new ProcessBuilder("sleep", "30").start();

		assertThat(ProcFs.ignores(this.process.pid(), PosixSignal.HUP.number())).isFalse();
	}

	@Test
	void aProcessThatIsGoneIgnoresNothing() {
		assertThat(ProcFs.ignores(Long.MAX_VALUE, PosixSignal.HUP.number())).isFalse();
	}

	/** Until the shell has become {@code sleep}, with its signal dispositions. */
	private static void awaitExec(Process process) throws InterruptedException {
		long deadline = System.nanoTime() + 10_000_000_000L;
		while (!"sleep\n".equals(ProcFs.read(process.pid(), "comm"))) {
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("the shell did not exec sleep within 10 s");
			}
			Thread.sleep(10);
		}
	}

}
