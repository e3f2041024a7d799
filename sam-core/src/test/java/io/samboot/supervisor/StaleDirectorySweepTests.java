package io.samboot.supervisor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.samboot.SamSettings;
import io.samboot.SamState;
import io.samboot.log.SamLog;
import io.samboot.nativeaccess.NativeAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sweep of what killed supervisors left waits until the first instance has started,
 * then runs once.
 */
class StaleDirectorySweepTests {

	/** Above Linux's largest pid_max (2^22): no process can have it. */
	private static final long DEAD_PID = 999_999_999L;

	@TempDir
	Path base;

	private final List<Runnable> started = new ArrayList<>();

	@Test
	void sweepsOnceTheFirstInstanceHasStartedAndOnlyOnce() throws Exception {
		Path own = ownDirectory();
		Path stale = staleDirectory(1);
		StaleDirectorySweep sweep = new StaleDirectorySweep(own, this.started::add);

		sweep.instanceLaunched(1, 4242);
		sweep.instanceRegistered(1, SamSettings.defaults());
		sweep.stateChanged(1, SamState.REGISTERED);
		assertThat(this.started).as("nothing before the application has started").isEmpty();

		sweep.healthCheckingStarted(1);
		assertThat(this.started).hasSize(1);
		assertThat(stale).exists();
		this.started.get(0).run();
		assertThat(stale).doesNotExist();
		assertThat(own).exists();

		sweep.healthCheckingStarted(2);
		assertThat(this.started).hasSize(1);
	}

	@Test
	void anInstanceWithSamSwitchedOffNeverStartsSoItsRegistrationSweeps() throws Exception {
		StaleDirectorySweep sweep = new StaleDirectorySweep(ownDirectory(), this.started::add);

		sweep.instanceRegistered(1, SamSettings.builder().enabled(false).build());

		assertThat(this.started).hasSize(1);
	}

	@Test
	void theThreadItStartsRunsTheSweep() throws Exception {
		Path own = ownDirectory();
		Path stale = staleDirectory(2);

		new StaleDirectorySweep(own, NativeAccess.get()).healthCheckingStarted(1);

		await("the stale directory removed").atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(stale));
		assertThat(own).exists();
	}

	private Path ownDirectory() throws Exception {
		Files.setPosixFilePermissions(this.base, PosixFilePermissions.fromString("rwx------"));
		return ControlDirectory.create(List.of(this.base), SamLog.get(StaleDirectorySweepTests.class));
	}

	private Path staleDirectory(int suffix) throws Exception {
		Path stale = Files.createDirectory(this.base.resolve("sam-" + DEAD_PID + "-" + suffix));
		Files.createFile(stale.resolve("control.sock"));
		Files.setLastModifiedTime(stale,
				FileTime.from(Instant.now().minus(ControlDirectory.STARTING_GRACE).minus(Duration.ofMinutes(1))));
		return stale;
	}

}
