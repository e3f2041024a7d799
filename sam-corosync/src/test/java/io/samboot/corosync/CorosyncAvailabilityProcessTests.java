package io.samboot.corosync;

import java.nio.file.Path;
import java.time.Duration;

import io.samboot.corosync.CorosyncUnavailableException.Reason;
import io.samboot.supervisor.ClusterServices.ClusterUnavailableException;
import io.samboot.testsupport.CorosyncNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link CorosyncAvailability#check} with the real daemon running, stopped, and with a
 * library that is not there (a name no library has, as
 * {@code -Dsam.corosync.quorum-library} would give).
 */
@ResourceLock(CorosyncNode.LOCK)
@ExtendWith(CorosyncNode.MachineLock.class)
@Tag("process")
@Tag("corosync")
class CorosyncAvailabilityProcessTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@TempDir
	Path dir;

	private CorosyncNode node;

	@AfterEach
	void stopDaemon() {
		if (this.node != null) {
			this.node.close();
		}
	}

	@Test
	void passesWhenTheDaemonRuns() {
		CorosyncNode.assumeUsable();
		this.node = CorosyncNode.start(this.dir, 2);
		assertThatNoException().as("an inquorate cluster is still a running corosync")
			.isThrownBy(() -> CorosyncAvailability.check(true, true));
	}

	@Test
	void aStoppedDaemonIsToldApartAndSaysWhatToStart() {
		CorosyncNode.assumeUsable();
		ClusterUnavailableException quorum = catchThrowableOfType(ClusterUnavailableException.class,
				() -> CorosyncAvailability.check(true, true));
		assertThat(quorum.service()).isEqualTo("quorum");
		assertThat(quorum.getMessage()).contains("the corosync daemon is not running",
				"quorum_initialize() failed: CS_ERR_LIBRARY (2)", "systemctl start corosync", "corosync-quorumtool -s");
		assertThat(((CorosyncUnavailableException) quorum.getCause()).reason()).isEqualTo(Reason.DAEMON_NOT_RUNNING);

		ClusterUnavailableException cmap = catchThrowableOfType(ClusterUnavailableException.class,
				() -> CorosyncAvailability.check(false, true));
		assertThat(cmap.service()).isEqualTo("cmap");
		assertThat(cmap.getMessage()).contains("cmap_initialize() failed: CS_ERR_LIBRARY (2)",
				"systemctl start corosync");
	}

	@Test
	void aMissingLibraryIsToldApartAndSaysWhatToInstall() {
		CorosyncNode.assumeUsable();
		this.node = CorosyncNode.start(this.dir, 1);
		ClusterUnavailableException quorum = catchThrowableOfType(ClusterUnavailableException.class,
				() -> CorosyncAvailability.check(true, true, "libquorum-not-here.so.5", CorosyncLibraries.DEFAULT_CMAP,
						TIMEOUT));
		assertThat(quorum.service()).isEqualTo("quorum");
		assertThat(quorum.getMessage())
			.contains("libquorum-not-here.so.5 cannot be loaded", "apt-get install corosync libquorum5 libcmap4",
					"-Dsam.corosync.quorum-library=")
			.doesNotContain("daemon");
		assertThat(((CorosyncUnavailableException) quorum.getCause()).reason()).isEqualTo(Reason.LIBRARY_MISSING);

		ClusterUnavailableException cmap = catchThrowableOfType(ClusterUnavailableException.class,
				() -> CorosyncAvailability.check(true, true, CorosyncLibraries.DEFAULT_QUORUM, "libcmap-not-here.so.4",
						TIMEOUT));
		assertThat(cmap.service()).isEqualTo("cmap");
		assertThat(cmap.getMessage()).contains("libcmap-not-here.so.4 cannot be loaded", "libcmap4",
				"-Dsam.corosync.cmap-library=");
	}

	@Test
	void aMissingLibraryIsReportedBeforeAStoppedDaemon() {
		ClusterUnavailableException failure = catchThrowableOfType(ClusterUnavailableException.class,
				() -> CorosyncAvailability.check(false, true, CorosyncLibraries.DEFAULT_QUORUM, "libcmap-not-here.so.4",
						TIMEOUT));
		assertThat(((CorosyncUnavailableException) failure.getCause()).reason()).isEqualTo(Reason.LIBRARY_MISSING);
	}

	@Test
	void nothingAskedNothingChecked() {
		assertThatNoException()
			.isThrownBy(() -> CorosyncAvailability.check(false, false, "no-such-lib", "no-such-lib", TIMEOUT));
	}

	@Test
	void refusedUsersAndSlowStartsAreExplained() {
		CorosyncUnavailableException denied = CorosyncAvailability.explain("quorum_initialize()",
				new CorosyncException("quorum_initialize()", CsError.CS_ERR_ACCESS.code()), TIMEOUT);
		assertThat(denied.reason()).isEqualTo(Reason.ACCESS_DENIED);
		assertThat(denied.getMessage()).contains("CS_ERR_ACCESS (11)", "uidgid { uid: ", "Run the application as root");
		CorosyncUnavailableException starting = CorosyncAvailability.explain("cmap_initialize()",
				new CorosyncException("cmap_initialize()", CsError.CS_ERR_TRY_AGAIN.code()), TIMEOUT);
		assertThat(starting.reason()).isEqualTo(Reason.NOT_READY);
		assertThat(starting.getMessage()).contains("CS_ERR_TRY_AGAIN (6)", "still not ready after 5s");
	}

}
