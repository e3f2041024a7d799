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
 * The sweep of what killed supervisors left waits for the first registration, then runs
 * once.
 */
class StaleDirectorySweepTests {

	/** Above Linux's largest pid_max (2^22): no process can have it. */
	private static final long DEAD_PID = 999_999_999L;

	@TempDir
	Path base;

	private final List<Runnable> started = new ArrayList<>();

	@Test
	void sweepsOnceTheFirstInstanceHasRegisteredAndOnlyOnce() throws Exception {
		Files.setPosixFilePermissions(this.base, PosixFilePermissions.fromString("rwx------"));
		Path own = ControlDirectory.create(List.of(this.base), SamLog.get(StaleDirectorySweepTests.class));
		Path stale = staleDirectory(1);
		StaleDirectorySweep sweep = new StaleDirectorySweep(own, this.started::add);

		sweep.stateChanged(1, SamState.REGISTERED);
		sweep.instanceLaunched(1, 4242);
		assertThat(this.started).isEmpty();

		sweep.instanceRegistered(1, SamSettings.defaults());
		assertThat(this.started).hasSize(1);
		assertThat(stale).exists();
		this.started.get(0).run();
		assertThat(stale).doesNotExist();
		assertThat(own).exists();

		sweep.instanceRegistered(2, SamSettings.defaults());
		assertThat(this.started).hasSize(1);
	}

	@Test
	void theThreadItStartsRunsTheSweep() throws Exception {
		Files.setPosixFilePermissions(this.base, PosixFilePermissions.fromString("rwx------"));
		Path own = ControlDirectory.create(List.of(this.base), SamLog.get(StaleDirectorySweepTests.class));
		Path stale = staleDirectory(2);

		new StaleDirectorySweep(own, NativeAccess.get()).instanceRegistered(1, SamSettings.defaults());

		await("the stale directory removed").atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(stale));
		assertThat(own).exists();
	}

	private Path staleDirectory(int suffix) throws Exception {
		Path stale = Files.createDirectory(this.base.resolve("sam-" + DEAD_PID + "-" + suffix));
		Files.createFile(stale.resolve("control.sock"));
		Files.setLastModifiedTime(stale,
				FileTime.from(Instant.now().minus(ControlDirectory.STARTING_GRACE).minus(Duration.ofMinutes(1))));
		return stale;
	}

}
