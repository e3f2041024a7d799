package io.samboot.supervisor;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.samboot.log.SamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A supervisor killed with SIGKILL cannot remove its control directory; the next one
 * does, but only when nothing says it is still in use: the PID alive here, a socket that
 * accepts, a recent change. (The lock held by a supervisor in another PID namespace:
 * {@link StaleControlDirectoryProcessTests}.)
 */
class StaleControlDirectoryTests {

	/**
	 * Above Linux's largest pid_max (2^22) no process or thread can exist, unlike a
	 * reaped PID that a busy machine may hand out again at once.
	 */
	private static final long DEAD_PID = 999_999_999L;

	@TempDir
	Path base;

	private int uid() throws Exception {
		return (Integer) Files.getAttribute(this.base, "unix:uid");
	}

	/** Dates the directory back beyond the grace for starting supervisors. */
	private static Path aged(Path directory) throws Exception {
		Instant then = Instant.now().minus(ControlDirectory.STARTING_GRACE).minus(Duration.ofMinutes(1));
		Files.setLastModifiedTime(directory, FileTime.from(then));
		return directory;
	}

	@Test
	void removesTheDirectoryOfADeadSupervisorAndKeepsTheOthers() throws Exception {
		Path stale = Files.createDirectory(this.base.resolve("sam-" + DEAD_PID + "-42"));
		Files.createFile(stale.resolve("control.sock"));
		Files.createFile(stale.resolve(ControlDirectory.LOCK_NAME));
		Path live = Files.createDirectory(this.base.resolve("sam-" + ProcessHandle.current().pid() + "-43"));
		Files.createFile(live.resolve("control.sock"));
		Path notEmpty = Files.createDirectory(this.base.resolve("sam-" + DEAD_PID + "-44"));
		Files.createFile(notEmpty.resolve("something-else"));
		Path unrelated = Files.createDirectory(this.base.resolve("sam-other"));
		aged(stale);
		aged(live);
		aged(notEmpty);

		ControlDirectory.removeStale(this.base, uid());

		assertThat(stale).doesNotExist();
		assertThat(live).exists();
		assertThat(notEmpty).exists();
		assertThat(unrelated).exists();
	}

	@Test
	void aNewDirectoryLeavesTheStaleOnesToTheSweepAfterTheLaunch() throws Exception {
		Files.setPosixFilePermissions(this.base, PosixFilePermissions.fromString("rwx------"));
		Path stale = Files.createDirectory(this.base.resolve("sam-" + DEAD_PID + "-46"));
		Files.createFile(stale.resolve("control.sock"));
		aged(stale);

		Path created = ControlDirectory.create(List.of(this.base), SamLog.get(StaleControlDirectoryTests.class));
		assertThat(stale).exists();

		ControlDirectory.removeStaleBeside(created);
		assertThat(stale).doesNotExist();
		assertThat(created).exists();
	}

	@Test
	void directoryWhoseSocketAcceptsIsKeptWhateverItsPid() throws Exception {
		Path directory = Files.createDirectory(this.base.resolve("sam-" + DEAD_PID + "-45"));
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(ControlDirectory.socketIn(directory)));
			aged(directory);

			ControlDirectory.removeStale(this.base, uid());

			assertThat(ControlDirectory.socketIn(directory)).exists();
		}
	}

	@Test
	void directoryWhoseSocketNoLongerAcceptsIsRemoved() throws Exception {
		Path directory = Files.createDirectory(this.base.resolve("sam-" + DEAD_PID + "-46"));
		ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		server.bind(UnixDomainSocketAddress.of(ControlDirectory.socketIn(directory)));
		server.close();
		aged(directory);

		ControlDirectory.removeStale(this.base, uid());

		assertThat(directory).doesNotExist();
	}

	@Test
	void recentlyChangedDirectoryIsKeptAsASupervisorStillStarting() throws Exception {
		Path directory = Files.createDirectory(this.base.resolve("sam-" + DEAD_PID + "-47"));

		ControlDirectory.removeStale(this.base, uid());

		assertThat(directory).exists();
	}

	@Test
	void directoryOfAnotherUidIsNotTouched() throws Exception {
		Path directory = aged(Files.createDirectory(this.base.resolve("sam-" + DEAD_PID + "-48")));

		ControlDirectory.removeStale(this.base, uid() + 1);

		assertThat(directory).exists();
	}

}
