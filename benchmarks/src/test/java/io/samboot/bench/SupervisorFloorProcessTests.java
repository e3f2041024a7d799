package io.samboot.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SupervisorFloor} in a real JVM, as the idle section's training run starts it: it
 * asks and answers for the seconds it is given, then ends by itself, with its child and
 * without leaving its socket's name.
 */
@Tag("process")
class SupervisorFloorProcessTests {

	@TempDir
	Path directory;

	private Process floor;

	@AfterEach
	void endWhatIsLeft() {
		if (this.floor != null) {
			this.floor.descendants().forEach(ProcessHandle::destroyForcibly);
			this.floor.destroyForcibly();
		}
	}

	@Test
	@Timeout(60)
	void asksForItsSecondsThenEndsWithItsChild() throws Exception {
		Path output = this.directory.resolve("floor.log");
		this.floor = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), SupervisorFloor.class.getName(), "2", this.directory.toString())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		ProcessHandle child = FirstChild.of(this.floor, "the floor");

		assertThat(this.floor.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(this.floor.exitValue()).isZero();
		assertThat(Files.readString(output, StandardCharsets.UTF_8)).contains("floor: asking every 250 ms");
		child.onExit().get(10, TimeUnit.SECONDS);
		assertThat(socketNames()).isEmpty();
	}

	private List<Path> socketNames() throws IOException {
		try (Stream<Path> files = Files.list(this.directory)) {
			return files.filter((file) -> file.getFileName().toString().endsWith(".sock")).toList();
		}
	}

}
