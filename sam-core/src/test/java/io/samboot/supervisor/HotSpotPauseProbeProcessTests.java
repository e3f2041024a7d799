package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;

import io.samboot.nativeaccess.NativeAccess;
import io.samboot.testsupport.ChildJvm;
import io.samboot.testsupport.Jdk;
import io.samboot.testsupport.OtherUser;
import io.samboot.testsupport.OutputLines;
import io.samboot.testsupport.TestProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link HotSpotPauseProbe} against real JVMs ({@link PauseFixture}): one idle, one
 * inside long full collections of a large live set on the serial collector (on this JDK
 * and on JDK 25 when installed), one inside a long safepoint that is no collection (a
 * class histogram), one without performance data, and a process that is no JVM at all.
 */
@Tag("process")
class HotSpotPauseProbeProcessTests {

	private static final Duration STARTUP = Duration.ofSeconds(60);

	private final TestProcesses processes = new TestProcesses();

	private final List<String> notices = new CopyOnWriteArrayList<>();

	private final HotSpotPauseProbe probe = new HotSpotPauseProbe(this.notices::add);

	@BeforeAll
	static void linuxOnly() {
		assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"), "Linux only");
	}

	@AfterEach
	void stopProcesses() {
		this.processes.close();
	}

	@Test
	void idleJvmIsNotInAPause() throws IOException {
		Fixture jvm = start(Jdk.current(), List.of("-XX:+UseSerialGC"), "idle");
		jvm.awaitLine("ready", STARTUP);

		assertThat(this.probe.sees(jvm.pid())).as("the probe reads the JVM's counters").isTrue();
		for (int i = 0; i < 3; i++) {
			assertThat(this.probe.currentPause(jvm.pid())).isEmpty();
		}
		assertThat(this.notices).isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("jdks")
	void fullCollectionIsAPauseThatGrows(Jdk jdk) throws IOException {
		Fixture jvm = start(jdk, List.of("-XX:+UseSerialGC", "-Xms3g", "-Xmx3g", "-Xlog:gc"), "collect", "1024", "500");
		jvm.awaitLine("gc 1", Duration.ofSeconds(120));

		List<Duration> samples = new ArrayList<>();
		await("the first full collection to end").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(10))
			.failFast("the fixture JVM ended", () -> !jvm.process().isAlive())
			.until(() -> {
				this.probe.currentPause(jvm.pid()).ifPresent(samples::add);
				return jvm.output().find((line) -> line.startsWith("gc-done 1 ")).isPresent();
			});
		String done = jvm.output().find((line) -> line.startsWith("gc-done 1 ")).get();
		long collectionMillis = Long.parseLong(done.substring("gc-done 1 ".length()));

		assertThat(samples).as("pauses seen during a %d ms collection; output:%n%s", collectionMillis, jvm.output())
			.hasSizeGreaterThan(2);
		assertThat(samples.get(samples.size() - 1)).as("the pause grows").isGreaterThan(samples.get(0));
		Duration longest = samples.stream().max(Duration::compareTo).get();
		assertThat(longest).as("longest pause seen, against the collection's %d ms", collectionMillis)
			.isLessThanOrEqualTo(Duration.ofMillis(collectionMillis + 50))
			.isGreaterThanOrEqualTo(Duration.ofMillis(collectionMillis / 2));
		assertThat(this.probe.currentPause(jvm.pid())).as("no pause once the collection ended").isEmpty();
		assertThat(this.notices).isEmpty();
	}

	@Test
	void safepointThatIsNoCollectionIsSeenFromItsBeginning() throws Exception {
		Fixture jvm = start(Jdk.current(), List.of("-XX:+UseSerialGC", "-Xms3g", "-Xmx3g"), "collect", "512", "600000");
		jvm.awaitLine("gc-done 1", Duration.ofSeconds(120), String::startsWith);
		assertThat(this.probe.currentPause(jvm.pid())).isEmpty();

		// A class histogram of every object (-all: no collection first) runs in one
		// safepoint.
		Process histogram = this.processes.start(List.of(Jdk.current().home().resolve("bin").resolve("jcmd").toString(),
				Long.toString(jvm.pid()), "GC.class_histogram", "-all"));
		OutputLines histogramOutput = OutputLines.of(histogram.getInputStream());
		List<Duration> samples = new ArrayList<>();
		await("the class histogram").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> {
			this.probe.currentPause(jvm.pid()).ifPresent(samples::add);
			return histogramOutput.isComplete() && !histogram.isAlive();
		});

		assertThat(histogram.exitValue()).as("jcmd output:%n%s", histogramOutput).isZero();
		assertThat(samples).as("pauses seen during the histogram").hasSizeGreaterThan(2);
		assertThat(samples.get(samples.size() - 1)).as("the pause grows").isGreaterThan(samples.get(0));
		assertThat(this.probe.currentPause(jvm.pid())).as("no pause once the safepoint ended").isEmpty();
	}

	@Test
	void processWithoutPerformanceDataFileIsNotInAPause() throws Exception {
		Process sleep = this.processes.startSleep();

		awaitNotice(sleep.pid());
		assertThat(this.notices).singleElement()
			.asString()
			.contains("PID " + sleep.pid(), "no HotSpot performance data file", "sam.health-check.pause-grace");

		assertThat(this.probe.currentPause(this.processes.reapedPid())).isEmpty();
		assertThat(this.notices).hasSize(1);
	}

	@Test
	void jvmWithoutPerformanceDataIsNotInAPause() throws IOException {
		Fixture jvm = start(Jdk.current(), List.of("-XX:-UsePerfData"), "idle");
		jvm.awaitLine("ready", STARTUP);

		awaitNotice(jvm.pid());
		assertThat(this.probe.sees(jvm.pid())).isFalse();
		assertThat(this.notices).singleElement().asString().contains("PID " + jvm.pid(), "-XX:-UsePerfData");
	}

	/**
	 * The attack: the instance has no file of its own ({@code -XX:+PerfDisableSharedMem})
	 * and another user puts a FIFO named after its PID in their own
	 * {@code /tmp/hsperfdata_<them>}. Opening it would block until someone writes to it;
	 * the probe must not even look there.
	 */
	@Test
	void fifoOfAnotherUserNamedAfterTheJvmNeverBlocksTheProbe() throws Exception {
		OtherUser attacker = OtherUser.require();
		Fixture jvm = start(Jdk.current(), List.of("-XX:+PerfDisableSharedMem"), "idle");
		jvm.awaitLine("ready", STARTUP);
		Path directory = HsPerfDataFiles.PERF_DATA_ROOT.resolve("hsperfdata_" + OtherUser.NAME);
		Path fifo = directory.resolve(Long.toString(jvm.pid()));
		attacker.run("mkdir", "-p", directory.toString());
		attacker.run("mkfifo", fifo.toString());
		try {
			assertTimeoutPreemptively(Duration.ofSeconds(20), () -> awaitNotice(jvm.pid()));
			assertThat(this.notices).singleElement()
				.asString()
				.contains("PID " + jvm.pid(), "no HotSpot performance data file", "directory of its own user");
		}
		finally {
			Files.deleteIfExists(fifo);
		}
	}

	/**
	 * The other form of the attack: another user created the directory named after the
	 * instance's user before it did (HotSpot then writes no file), with a FIFO in it. A
	 * root of the test's own stands for {@code /tmp}, where root's directory exists.
	 */
	@Test
	void fifoInADirectoryAnotherUserMadeUnderTheInstancesNameNeverBlocksTheProbe(@TempDir Path root) throws Exception {
		OtherUser attacker = OtherUser.require();
		Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
		Fixture jvm = start(Jdk.current(), List.of("-XX:+PerfDisableSharedMem"), "idle");
		jvm.awaitLine("ready", STARTUP);
		String user = ProcessHandle.of(jvm.pid()).flatMap((process) -> process.info().user()).orElseThrow();
		Path directory = root.resolve("hsperfdata_" + user);
		attacker.run("mkdir", directory.toString());
		attacker.run("mkfifo", directory.resolve(Long.toString(jvm.pid())).toString());
		HotSpotPauseProbe probe = new HotSpotPauseProbe(root, System::nanoTime, System::currentTimeMillis,
				HsPerfDataFiles::mapsFile, HsPerfDataFiles::effectiveUid, NativeAccess.get(), this.notices::add);

		assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
			await("a notice").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
				assertThat(probe.currentPause(jvm.pid())).isEmpty();
				return !this.notices.isEmpty();
			});
		});
		assertThat(this.notices).singleElement().asString().contains("directory of its own user");
	}

	/**
	 * Asks about the process until the probe says why it cannot see it; every answer must
	 * be empty.
	 */
	private void awaitNotice(long pid) {
		await("a notice about PID " + pid).atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> {
				assertThat(this.probe.currentPause(pid)).isEmpty();
				return !this.notices.isEmpty();
			});
	}

	static List<Jdk> jdks() {
		return Jdk.available();
	}

	private Fixture start(Jdk jdk, List<String> options, String... args) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(jdk.java());
		command.addAll(jdk.quietOptions());
		command.addAll(options);
		command.add("-cp");
		command.add(ChildJvm.classPath());
		command.add(PauseFixture.class.getName());
		command.addAll(List.of(args));
		Process process = this.processes.start(command);
		return new Fixture(process, OutputLines.of(process.getInputStream()));
	}

	private record Fixture(Process process, OutputLines output) {

		long pid() {
			return this.process.pid();
		}

		void awaitLine(String line, Duration atMost) {
			awaitLine(line, atMost, String::equals);
		}

		void awaitLine(String line, Duration atMost, BiPredicate<String, String> matches) {
			await("the line '" + line + "'").atMost(atMost)
				.failFast("the fixture JVM ended", () -> !this.process.isAlive())
				.until(() -> this.output.find((candidate) -> matches.test(candidate, line)).isPresent());
		}
	}

}
