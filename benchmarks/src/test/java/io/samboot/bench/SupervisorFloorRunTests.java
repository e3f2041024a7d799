package io.samboot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.samboot.bench.SupervisorFloorRun.SupervisorCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The floor takes the lean supervisor's JVM options, JNA's properties and class path, and
 * only those.
 */
class SupervisorFloorRunTests {

	@Test
	void takesTheOptionsInTheirOrderWithoutTheArchiveOrLogging() {
		String cmdline = String.join("\0", "/jdk/bin/java", "-XX:+IgnoreUnrecognizedVMOptions", "-XX:+UseSerialGC",
				"-Xms8m", "-Xss256k", "-XX:+UnlockDiagnosticVMOptions", "-XX:GuaranteedSafepointInterval=0",
				"-XX:SharedArchiveFile=/cache/supervisor.jsa", "-XX:AOTCache=/cache/supervisor.aot",
				"-XX:-AOTReplayTraining", "-Xshare:auto", "-Xlog:cds=off", "-Dfile.encoding=UTF-8",
				"-Djna.boot.library.path=/cache", "--enable-native-access=ALL-UNNAMED", "-cp",
				"/cache/0-sam-core.jar:/cache/1-jna.jar", "io.samboot.supervisor.SupervisorMain", "/tmp/handover", "--",
				"/jdk/bin/java", "-Xmx1g", "-jar", "app.jar") + "\0";

		SupervisorCommand command = SupervisorFloorRun.supervisorCommand(cmdline);

		assertThat(command.options()).containsExactly("-XX:+IgnoreUnrecognizedVMOptions", "-XX:+UseSerialGC", "-Xms8m",
				"-Xss256k", "-XX:+UnlockDiagnosticVMOptions", "-XX:GuaranteedSafepointInterval=0",
				"-XX:-AOTReplayTraining", "-Djna.boot.library.path=/cache", "--enable-native-access=ALL-UNNAMED");
		assertThat(command.classPath()).isEqualTo("/cache/0-sam-core.jar:/cache/1-jna.jar");
		assertThat(command.usesArchive()).isTrue();
	}

	@Test
	void jnasLibraryBesideItsJarIsNamedWhenTheCommandLineDoesNot(@TempDir Path cache) throws IOException {
		Files.createFile(cache.resolve("1-jna-5.19.1.jar"));
		Files.createFile(cache.resolve("libjnidispatch.so"));
		String cmdline = String.join("\0", "/jdk/bin/java", "-XX:+UseSerialGC", "-cp",
				cache.resolve("0-sam-core.jar") + ":" + cache.resolve("1-jna-5.19.1.jar"),
				"io.samboot.supervisor.SupervisorMain");

		assertThat(SupervisorFloorRun.supervisorCommand(cmdline).options()).containsExactly("-XX:+UseSerialGC",
				"-Djna.boot.library.path=" + cache);
	}

	@Test
	void aSupervisorRecordingItsArchiveGivesTheSameOptions() {
		String cmdline = String.join("\0", "/jdk/bin/java", "-XX:+UseSerialGC",
				"-XX:ArchiveClassesAtExit=/cache/supervisor.jsa.1.part", "-XX:AOTMode=record",
				"-XX:AOTConfiguration=/cache/supervisor.aotconf.1.part", "-cp", "/cache/sam-core.jar",
				"io.samboot.supervisor.SupervisorMain");

		SupervisorCommand command = SupervisorFloorRun.supervisorCommand(cmdline);

		assertThat(command.options()).containsExactly("-XX:+UseSerialGC");
		assertThat(command.usesArchive()).isFalse();
	}

	@Test
	void theJvmTheUserStartedIsNotTakenForTheLeanSupervisor() {
		String cmdline = String.join("\0", "/jdk/bin/java", "-Xmx1g", "-jar", "app.jar", "-cp", "x");

		assertThatIllegalStateException().isThrownBy(() -> SupervisorFloorRun.supervisorCommand(cmdline))
			.withMessageContaining("not the lean supervisor JVM's")
			.withMessageContaining("-jar app.jar");
	}

	@Test
	void aSupervisorThatIsGoneIsSaidSo() {
		assertThatIllegalStateException().isThrownBy(() -> SupervisorFloorRun.supervisorCommand(null))
			.withMessageContaining("not the lean supervisor JVM's");
	}

}
