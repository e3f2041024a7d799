package io.samboot.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The floor takes the supervisor's own JVM options, and only those. */
class SupervisorFloorRunTests {

	@Test
	void takesTheJvmOptionsInTheirOrderWithoutTheArchiveLoggingOrProperties() {
		String cmdline = String.join("\0", "/jdk/bin/java", "-XX:+IgnoreUnrecognizedVMOptions", "-XX:+UseSerialGC",
				"-Xms8m", "-Xss256k", "-XX:+UnlockDiagnosticVMOptions", "-XX:GuaranteedSafepointInterval=0",
				"-XX:SharedArchiveFile=/cache/supervisor.jsa", "-XX:AOTCache=/cache/supervisor.aot", "-Xshare:auto",
				"-Xlog:cds=off", "-Dfile.encoding=UTF-8", "-cp", "/cache/sam-core.jar",
				"io.samboot.supervisor.SupervisorMain", "-Xmx1g") + "\0";

		assertThat(SupervisorFloorRun.jvmOptions(cmdline)).containsExactly("-XX:+IgnoreUnrecognizedVMOptions",
				"-XX:+UseSerialGC", "-Xms8m", "-Xss256k", "-XX:+UnlockDiagnosticVMOptions",
				"-XX:GuaranteedSafepointInterval=0");
	}

	@Test
	void aSupervisorRecordingItsArchiveGivesTheSameOptions() {
		String cmdline = String.join("\0", "/jdk/bin/java", "-XX:+UseSerialGC",
				"-XX:ArchiveClassesAtExit=/cache/supervisor.jsa.1.part", "-XX:AOTMode=record",
				"-XX:AOTConfiguration=/cache/supervisor.aotconf.1.part", "-cp", "/cache/sam-core.jar");

		assertThat(SupervisorFloorRun.jvmOptions(cmdline)).containsExactly("-XX:+UseSerialGC");
	}

	@Test
	void aSupervisorThatIsGoneIsSaidSo() {
		assertThatIllegalStateException().isThrownBy(() -> SupervisorFloorRun.jvmOptions(null))
			.withMessageContaining("command line");
	}

}
