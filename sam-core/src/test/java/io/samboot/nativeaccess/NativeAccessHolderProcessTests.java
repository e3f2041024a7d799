package io.samboot.nativeaccess;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.samboot.testsupport.ChildJvm;
import io.samboot.testsupport.OutputLines;
import io.samboot.testsupport.TestProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How the implementation is chosen, in fresh JVMs: what only a fresh JVM shows (JNA
 * missing from the class path, the log line). {@link NativeAccessHolderTests} tests the
 * choice itself.
 */
@Tag("process")
class NativeAccessHolderProcessTests {

	private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

	private final TestProcesses processes = new TestProcesses();

	@AfterEach
	void stopProcesses() {
		this.processes.close();
	}

	@Test
	void withoutJnaAFreshJvmFallsBackAndLogsOnce() throws Exception {
		String classPath = ChildJvm.classPathWithoutJna();
		assertThat(classPath).isNotEqualTo(ChildJvm.classPath());
		OutputLines output = runProbe(classPath, List.of());
		assertThat(output.find((line) -> line.startsWith("native=false"))).as(output.toString()).isPresent();
		assertThat(output.count((line) -> line.contains("SAM native access unavailable"))).as(output.toString())
			.isEqualTo(1);
		assertThat(output.find((line) -> line.contains("JNA (com.sun.jna.Native) is not on the class path")
				&& line.contains("add the dependency net.java.dev.jna:jna")))
			.as(output.toString())
			.isPresent();
	}

	@Test
	void withJnaAFreshJvmIsNativeAndQuiet() throws Exception {
		assumeTrue(NativeAccess.get().isNative());
		OutputLines output = runProbe(ChildJvm.classPath(), List.of());
		assertThat(output.find((line) -> line.startsWith("native=true"))).as(output.toString()).isPresent();
		assertThat(output.count((line) -> line.contains("SAM native access"))).as(output.toString()).isZero();
		assertThat(output.count((line) -> line.contains("WARNING"))).as(output.toString()).isZero();
	}

	@Test
	void propertyForcesTheFallbackInAFreshJvm() throws Exception {
		OutputLines output = runProbe(ChildJvm.classPath(), List.of("-Dsam.native=fallback"));
		assertThat(output.find((line) -> line.startsWith("native=false"))).as(output.toString()).isPresent();
		assertThat(output
			.count((line) -> line.contains("SAM native access unavailable") && line.contains("sam.native=fallback")))
			.as(output.toString())
			.isEqualTo(1);
	}

	private OutputLines runProbe(String classPath, List<String> jvmOptions) throws Exception {
		Process probe = this.processes.start(ChildJvm.command(classPath, NativeAccessProbeFixture.class, jvmOptions));
		OutputLines output = OutputLines.of(probe.getInputStream());
		assertThat(probe.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("probe ended").isTrue();
		await().atMost(Duration.ofSeconds(5)).until(output::isComplete);
		assertThat(probe.exitValue()).as(output.toString()).isZero();
		assertThat(output.find((line) -> line.startsWith("native="))).as(output.toString())
			.hasValueSatisfying((line) -> assertThat(line)
				.endsWith(" pid=" + probe.pid() + " ppid=" + ProcessHandle.current().pid()));
		return output;
	}

}
