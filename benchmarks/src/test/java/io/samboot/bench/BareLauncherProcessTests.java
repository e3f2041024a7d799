package io.samboot.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start section's floor, {@link BareLauncher}, in a real JVM: it passes its child's
 * exit status on and stops its child when it is stopped, so that the section's rounds end
 * as they do for a supervisor.
 */
@Tag("process")
class BareLauncherProcessTests {

	private final List<ProcessHandle> started = new ArrayList<>();

	@AfterEach
	void endWhatIsLeft() {
		this.started.forEach(ProcessHandle::destroyForcibly);
	}

	@Test
	@Timeout(60)
	void exitsWithItsChildsStatus() throws Exception {
		Process launcher = launch("sh", "-c", "exit 7");
		assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(launcher.exitValue()).isEqualTo(7);
	}

	@Test
	@Timeout(60)
	void aSigtermStopsItsChildToo() throws Exception {
		Process launcher = launch("sleep", "120");
		ProcessHandle child = FirstChild.of(launcher, "the bare launcher");
		this.started.add(child);
		launcher.destroy();
		child.onExit().get(30, TimeUnit.SECONDS);
		assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
	}

	private Process launch(String... command) throws Exception {
		List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), BareLauncher.class.getName()));
		line.addAll(List.of(command));
		Process launcher = new ProcessBuilder(line).inheritIO().start();
		this.started.add(launcher.toHandle());
		return launcher;
	}

}
