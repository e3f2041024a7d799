package io.samboot.nativeaccess;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.samboot.PosixSignal;
import io.samboot.testsupport.ChildJvm;
import io.samboot.testsupport.OutputLines;
import io.samboot.testsupport.SupervisedApp;
import io.samboot.testsupport.TestProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code prctl(PR_SET_PDEATHSIG)} for real: a middle JVM ({@link PdeathsigFixture})
 * starts a grandchild JVM ({@link PdeathsigGrandchildFixture}) that arms SIGKILL as its
 * parent-death signal; when this test SIGKILLs the middle JVM, which can run no clean-up
 * of its own, the kernel must kill the grandchild.
 */
@Tag("process")
class PdeathsigProcessTests {

	private final TestProcesses processes = new TestProcesses();

	@AfterEach
	void stopProcesses() {
		this.processes.close();
	}

	@Test
	void grandchildDiesWhenItsParentIsKilled() throws Exception {
		assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"), "Linux only");
		NativeAccess access = NativeAccess.get();
		assumeTrue(access.isNative(), "JNA is not available here");
		Process middle = this.processes.start(ChildJvm.command(PdeathsigFixture.class));
		OutputLines output = OutputLines.of(middle.getInputStream());
		String armed = await().atMost(Duration.ofSeconds(60))
			.failFast("the middle JVM ended", () -> !middle.isAlive())
			.until(() -> output.find((line) -> line.endsWith(" armed")).orElse(null), (line) -> line != null);
		ProcessHandle grandchild = ProcessHandle.of(Long.parseLong(armed.substring(0, armed.indexOf(' '))))
			.orElseThrow(() -> new AssertionError("grandchild gone before the test: " + output));
		try {
			assertThat(grandchild.parent().map(ProcessHandle::pid)).contains(middle.pid());

			assertThat(access.kill(middle.pid(), PosixSignal.KILL)).isTrue();

			assertThat(middle.waitFor(10, TimeUnit.SECONDS)).as("middle JVM ended").isTrue();
			assertThat(middle.exitValue()).isEqualTo(128 + PosixSignal.KILL.number());
			await("the grandchild " + grandchild.pid() + " to die with its parent").atMost(Duration.ofSeconds(2))
				// Dead is enough: as a zombie re-parented to init it waits for init to
				// reap it, not for us.
				.until(() -> !SupervisedApp.alive(grandchild.pid()));
		}
		finally {
			grandchild.destroyForcibly();
		}
	}

}
