package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.samboot.testsupport.ChildJvm;
import io.samboot.testsupport.OutputLines;
import io.samboot.testsupport.TestProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two supervisors sharing a temp directory from different PID namespaces (a container
 * sharing {@code /tmp} with the host): the one starting in a new namespace
 * ({@code unshare --pid --fork --mount-proc}) cannot see the host supervisor's PID, and
 * before the fix removed its live control directory as stale. Now it keeps the
 * directories whose lock is held or whose socket accepts, and still removes the leftover
 * of a dead supervisor.
 */
@Tag("process")
class StaleControlDirectoryProcessTests {

	private static final Duration STEP = Duration.ofSeconds(60);

	private final TestProcesses processes = new TestProcesses();

	@AfterEach
	void stop() {
		this.processes.close();
	}

	@Test
	void supervisorInAnotherPidNamespaceKeepsLiveDirectoriesAndRemovesDeadOnes(@TempDir Path base) throws Exception {
		assumeNewPidNamespaces();
		Live serving = start("serve", base.toString(), HexFormat.of().formatHex(new byte[32]));
		Live holding = start("hold", base.toString());
		Path dead = Files.createDirectory(base.resolve("sam-" + this.processes.reapedPid() + "-7"));
		Files.createFile(dead.resolve(ControlDirectory.LOCK_NAME));
		for (Path directory : List.of(serving.directory(), holding.directory(), dead)) {
			// Older than a starting supervisor's: only the lock or the socket keep it.
			Files.setLastModifiedTime(directory, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
		}

		List<String> command = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc"));
		command.addAll(ChildJvm.command(ControlServerFixture.class, "clean", base.toString(),
				Long.toString(serving.process().pid())));
		Process cleaner = this.processes.start(command);
		OutputLines output = OutputLines.of(cleaner.getInputStream());
		assertThat(cleaner.waitFor(STEP.toSeconds(), TimeUnit.SECONDS)).isTrue();

		assertThat(cleaner.exitValue()).as(output.toString()).isZero();
		assertThat(output.find((line) -> line.equals("alive " + serving.process().pid() + " false")))
			.as("the host supervisor's PID is not alive in the new namespace: %s", output)
			.isPresent();
		assertThat(ControlDirectory.socketIn(serving.directory())).as("the serving supervisor's socket").exists();
		assertThat(holding.directory().resolve(ControlDirectory.LOCK_NAME)).as("the holding supervisor's lock")
			.exists();
		assertThat(dead).as("a dead supervisor's directory").doesNotExist();
	}

	private static void assumeNewPidNamespaces() throws IOException, InterruptedException {
		assumeTrue("root".equals(System.getProperty("user.name")), "unshare --pid needs root (CAP_SYS_ADMIN)");
		Process probe;
		try {
			probe = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc", "true").redirectErrorStream(true)
				.start();
		}
		catch (IOException ex) {
			assumeTrue(false, "no unshare(1) here: " + ex.getMessage());
			return;
		}
		assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
				"unshare --pid --fork --mount-proc fails here: " + new String(probe.getInputStream().readAllBytes()));
	}

	private Live start(String... args) throws IOException {
		Process process = this.processes.start(ChildJvm.command(ControlServerFixture.class, args));
		OutputLines output = OutputLines.of(process.getInputStream());
		await("the fixture's line 'ready'").atMost(STEP)
			.failFast("the fixture ended", () -> !process.isAlive())
			.until(() -> output.find("ready"::equals).isPresent());
		String directory = output.find((line) -> line.startsWith("directory ")).orElseThrow();
		return new Live(process, Path.of(directory.substring("directory ".length())));
	}

	private record Live(Process process, Path directory) {
	}

}
