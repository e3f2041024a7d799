package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.samboot.nativeaccess.NativeAccess;
import io.samboot.testsupport.ChildJvm;
import io.samboot.testsupport.OutputLines;
import io.samboot.testsupport.TestProcesses;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link OrphanReaper} in a real JVM ({@link OrphanReaperFixture}) that adopts real
 * orphans as a child subreaper: without a reaper they stay its zombies; with one, acting
 * as PID 1 or started as the supervisor starts it, none remains, and the JDK still gets
 * the exit status of the process it started itself. The test signals only the fixture it
 * started (and, on close, its descendants).
 */
@Tag("process")
class OrphanReaperProcessTests {

	private static final Duration STEP = Duration.ofSeconds(15);

	private final TestProcesses processes = new TestProcesses();

	@BeforeEach
	void linuxWithJna() {
		assumeTrue(ChildProcesses.procAvailable() && NativeAccess.get().isNative(), "needs Linux /proc and JNA");
	}

	@AfterEach
	void stopFixture() {
		this.processes.close();
	}

	@Test
	void withoutAReaperAdoptedOrphansStayZombies() throws IOException {
		Fixture fixture = start("none");
		List<Long> orphans = fixture.orphans();
		for (long orphan : orphans) {
			fixture.until("orphan " + orphan + " a zombie child of the fixture",
					() -> isZombieChildOf(orphan, fixture.pid()));
		}
		assertThat(zombieChildren(fixture.pid())).as(fixture.toString()).containsAll(orphans);
	}

	@Test
	void actingAsPid1ItReapsEveryOrphanButNotTheInstance() throws IOException {
		assertNoZombieRemains(start("pid1"));
	}

	@Test
	void startedAsTheSupervisorStartsItItAdoptsAndReapsOrphans() throws IOException {
		Fixture fixture = start("subreaper");
		assertNoZombieRemains(fixture);
		assertThat(fixture.output().find(line -> line.contains("child subreaper"))).as(fixture.toString()).isPresent();
		assertThat(fixture.output().find(line -> line.contains("reaped orphaned process"))).as(fixture.toString())
			.isPresent();
	}

	@Test
	void waitpidNoHangReportsStatusesOfAdoptedChildren() throws IOException {
		Fixture fixture = start("waitpid");
		fixture.await("MARK waitpid ok");
		assertThat(fixture.output().find(line -> line.startsWith("FAIL"))).as(fixture.toString()).isEmpty();
	}

	private void assertNoZombieRemains(Fixture fixture) {
		List<Long> orphans = fixture.orphans();
		for (long orphan : orphans) {
			fixture.until("orphan " + orphan + " reaped", () -> !isChildOf(orphan, fixture.pid()));
		}
		fixture.await("MARK instance exit=");
		assertThat(fixture.output().find(line -> line.contains("MARK instance exit=7"))).as(fixture.toString())
			.isPresent();
		fixture.await("MARK ready");
		fixture.until("no zombie child of the fixture", () -> zombieChildren(fixture.pid()).isEmpty());
		assertThat(fixture.output().find(line -> line.startsWith("FAIL"))).as(fixture.toString()).isEmpty();
		assertThat(fixture.process().isAlive()).isTrue();
	}

	private Fixture start(String mode) throws IOException {
		Process process = this.processes.start(ChildJvm.command(OrphanReaperFixture.class, mode));
		return new Fixture(process, OutputLines.of(process.getInputStream()));
	}

	private static boolean isChildOf(long pid, long parent) {
		ChildProcesses.Stat stat = stat(pid);
		return stat != null && stat.parentPid() == parent;
	}

	private static boolean isZombieChildOf(long pid, long parent) {
		ChildProcesses.Stat stat = stat(pid);
		return stat != null && stat.parentPid() == parent && stat.state() == 'Z';
	}

	private static List<Long> zombieChildren(long parent) throws IOException {
		return ChildProcesses.proc()
			.of(parent)
			.stream()
			.filter(ChildProcesses.Child::zombie)
			.map(ChildProcesses.Child::pid)
			.collect(Collectors.toList());
	}

	private static ChildProcesses.Stat stat(long pid) {
		try {
			return ChildProcesses.parseStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
		}
		catch (IOException ex) {
			return null;
		}
	}

	private record Fixture(Process process, OutputLines output) {

		long pid() {
			return this.process.pid();
		}

		void await(String text) {
			until("a line with '" + text + "'", () -> this.output.find(line -> line.contains(text)).isPresent());
		}

		/**
		 * Waits for the condition while the fixture runs; a failure shows the fixture's
		 * output.
		 */
		void until(String what, Callable<Boolean> condition) {
			try {
				Awaitility.await(what)
					.atMost(STEP)
					.pollInterval(Duration.ofMillis(10))
					.failFast("fixture exited",
							() -> !this.process.isAlive() && this.output.isComplete() && !condition.call())
					.until(condition);
			}
			catch (ConditionTimeoutException | TerminalFailureException ex) {
				throw new AssertionError(ex.getMessage() + "; fixture output:\n" + this.output, ex);
			}
		}

		List<Long> orphans() {
			until("three orphans", () -> this.output.count(line -> line.startsWith("MARK orphan pid=")) == 3);
			return Arrays.stream(this.output.toString().split(System.lineSeparator()))
				.filter(line -> line.startsWith("MARK orphan pid="))
				.map(line -> Long.parseLong(line.substring("MARK orphan pid=".length()).trim()))
				.collect(Collectors.toList());
		}

		@Override
		public String toString() {
			return this.output.toString();
		}
	}

}
