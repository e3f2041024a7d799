package io.samboot.supervisor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.samboot.testsupport.ChildJvm;
import io.samboot.testsupport.Jdk;
import io.samboot.testsupport.OutputLines;
import io.samboot.testsupport.TestProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link HsPerfDataFiles} against a real JVM ({@link PauseFixture}, idle) and the
 * performance data file it writes.
 */
@Tag("process")
class HsPerfDataFilesProcessTests {

	private static final Duration STARTUP = Duration.ofSeconds(60);

	private final TestProcesses processes = new TestProcesses();

	@BeforeAll
	static void linuxOnly() {
		assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"), "Linux only");
	}

	@AfterEach
	void stopProcesses() {
		this.processes.close();
	}

	@Test
	void staleFileCheckAsksTheProcessWhatItMaps(@TempDir Path directory) throws Exception {
		Process jvm = startIdleJvm();
		String user = ProcessHandle.of(jvm.pid()).flatMap((process) -> process.info().user()).orElseThrow();
		Path perfData = HsPerfDataFiles.PERF_DATA_ROOT.resolve("hsperfdata_" + user).resolve(Long.toString(jvm.pid()));

		assertThat(HsPerfDataFiles.mapsFile(jvm.pid(), perfData)).isTrue();
		assertThat(HsPerfDataFiles.mapsFile(jvm.pid(), Files.createFile(directory.resolve("other")))).isFalse();
		assertThat(HsPerfDataFiles.mapsFile(this.processes.reapedPid(), perfData)).isFalse();
	}

	/** Starts a {@link PauseFixture} that waits, and waits until it says it is ready. */
	private Process startIdleJvm() throws Exception {
		Jdk jdk = Jdk.current();
		List<String> command = new ArrayList<>();
		command.add(jdk.java());
		command.addAll(jdk.quietOptions());
		command.add("-cp");
		command.add(ChildJvm.classPath());
		command.add(PauseFixture.class.getName());
		command.add("idle");
		Process process = this.processes.start(command);
		OutputLines output = OutputLines.of(process.getInputStream());
		await("the line 'ready'").atMost(STARTUP)
			.failFast("the fixture JVM ended", () -> !process.isAlive())
			.until(() -> output.find((line) -> line.equals("ready")).isPresent());
		return process;
	}

}
