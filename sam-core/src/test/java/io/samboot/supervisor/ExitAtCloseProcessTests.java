package io.samboot.supervisor;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.samboot.PosixSignal;
import io.samboot.log.SamLog;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.testsupport.TestProcesses;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link ExitAtClose} against real children the JDK started and reaps, as the lean
 * supervisor's relaunched instances are.
 */
@Tag("process")
class ExitAtCloseProcessTests {

	private final TestProcesses processes = new TestProcesses();

	private final NativeAccess os = NativeAccess.get();

	private final ExitAtClose exits = new ExitAtClose(this.os, SamLog.get(ExitAtCloseProcessTests.class));

	@BeforeEach
	void linuxWithJna() {
		assumeTrue(this.os.isNative() && System.getProperty("os.name").startsWith("Linux"), "a Linux call");
	}

	@AfterEach
	void stopProcesses() {
		this.processes.close();
	}

	@Test
	void aKilledChildIsTakenWithItsStatusAndItsPostedCopyKnown() throws Exception {
		SupervisedInstance instance = instance(3, this.processes.startSleep());
		assertThat(this.os.kill(instance.pid, PosixSignal.KILL)).isTrue();

		// Each look waits at most ExitAtClose.WAIT; on a loaded machine the kernel may
		// take longer to end the child, and the look then comes back empty, as in the
		// loop, where the posted exit decides.
		AtomicReference<OptionalInt> seen = new AtomicReference<>(OptionalInt.empty());
		Awaitility.await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).until(() -> {
			seen.set(this.exits.await(instance));
			return seen.get().isPresent();
		});
		assertThat(seen.get()).hasValue(137);
		assertThat(instance.launched.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.exits.takenAlready(3)).isTrue();
		assertThat(this.exits.takenAlready(3)).as("asked once per posted exit").isFalse();
	}

	@Test
	void aChildTheJdkHasReapedIsTakenFromTheJdk() throws Exception {
		SupervisedInstance instance = instance(4, this.processes.startSleep());
		assertThat(this.os.kill(instance.pid, PosixSignal.TERM)).isTrue();
		assertThat(instance.launched.process().waitFor(10, TimeUnit.SECONDS)).isTrue();

		assertThat(this.exits.await(instance)).hasValue(143);
		assertThat(this.exits.takenAlready(4)).isTrue();
	}

	@Test
	void aChildThatLivesOnIsNotTaken() throws Exception {
		SupervisedInstance instance = instance(5, this.processes.startSleep());

		assertThat(this.exits.await(instance)).isEmpty();
		assertThat(this.exits.takenAlready(5)).isFalse();
		assertThat(instance.launched.process().isAlive()).isTrue();
	}

	private SupervisedInstance instance(int id, Process process) {
		SupervisedInstance instance = new SupervisedInstance(id, process.pid(), Instant.now(), System.nanoTime());
		instance.launched = new InstanceLauncher.LaunchedInstance(process.pid(),
				process.onExit().thenApply(Process::exitValue), process);
		return instance;
	}

}
