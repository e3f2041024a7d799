package io.samboot.supervisor;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A supervisor killed with SIGKILL cannot remove its control directory; the next one
 * does.
 */
class StaleControlDirectoryTests {

	@TempDir
	Path base;

	@Test
	void removesTheDirectoryOfADeadSupervisorAndKeepsTheOthers() throws Exception {
		// Above Linux's largest pid_max (2^22) no process or thread can exist, unlike a
		// reaped PID that a
		// busy machine may hand out again at once.
		long deadPid = 999_999_999L;
		Path stale = Files.createDirectory(this.base.resolve("sam-" + deadPid + "-42"));
		Files.createFile(stale.resolve("control.sock"));
		Path live = Files.createDirectory(this.base.resolve("sam-" + ProcessHandle.current().pid() + "-43"));
		Files.createFile(live.resolve("control.sock"));
		Path notEmpty = Files.createDirectory(this.base.resolve("sam-" + deadPid + "-44"));
		Files.createFile(notEmpty.resolve("something-else"));
		Path unrelated = Files.createDirectory(this.base.resolve("sam-other"));

		ControlDirectory.removeStale(this.base);

		assertThat(stale).doesNotExist();
		assertThat(live).exists();
		assertThat(notEmpty).exists();
		assertThat(unrelated).exists();
	}

}
