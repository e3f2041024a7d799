package io.samboot.supervisor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;

import io.samboot.log.SamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where the control socket's directory goes: only where no other user can swap it for
 * their own.
 */
class ControlDirectoryTests {

	private final ByteArrayOutputStream output = new ByteArrayOutputStream();

	private final SamLog log = SamLog
		.to(new SupervisorConsole(new PrintStream(this.output, true, StandardCharsets.UTF_8), 1));

	@TempDir
	Path temp;

	@Test
	void theDirectoryIsPrivateAndOwnedByThisUser() throws IOException {
		Path base = directory("base", "rwx------");

		Path created = ControlDirectory.create(List.of(base), this.log);

		assertThat(created.getParent()).isEqualTo(base);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created))).isEqualTo("rwx------");
		assertThat(Files.getOwner(created)).isEqualTo(Files.getOwner(this.temp));
	}

	@Test
	void aBaseOthersMayWriteToWithoutTheStickyBitIsSkipped() throws IOException {
		Path open = directory("open", "rwxrwxrwx");
		Path safe = directory("safe", "rwx------");

		Path created = ControlDirectory.create(List.of(open, safe), this.log);

		assertThat(created.getParent()).isEqualTo(safe);
		assertThat(open).isEmptyDirectory();
		assertThat(log()).contains("not using " + open + " for the control socket: " + open
				+ " may be written by other users (mode 0777) and is not sticky");
	}

	@Test
	void aStickyBaseOthersMayWriteToIsUsedAsTmpIs() throws IOException {
		Path sticky = directory("sticky", "rwxrwxrwx");
		Files.setAttribute(sticky, "unix:mode", 01777);

		Path created = ControlDirectory.create(List.of(sticky), this.log);

		assertThat(created.getParent()).isEqualTo(sticky);
		assertThat(log()).isEmpty();
	}

	@Test
	void aBaseOwnedByAnotherUserIsSkipped() throws IOException {
		UserPrincipal nobody = nobodyOrSkip();
		Path theirs = directory("theirs", "rwxr-xr-x");
		Files.setOwner(theirs, nobody);
		Path safe = directory("safe", "rwx------");

		Path created = ControlDirectory.create(List.of(theirs, safe), this.log);

		assertThat(created.getParent()).isEqualTo(safe);
		assertThat(theirs).isEmptyDirectory();
		assertThat(log()).contains("not using " + theirs + " for the control socket: " + theirs + " belongs to uid "
				+ Files.getAttribute(theirs, "unix:uid") + " (nobody)");
	}

	@Test
	void aSafeBaseUnderADirectoryAnotherUserOwnsIsSkippedWithOneWarningNamingThatDirectory() throws IOException {
		// The attack of issue 15: /tmp/shared owned by the attacker, /tmp/shared/rt ours
		// and
		// rwx------, XDG_RUNTIME_DIR=/tmp/shared/rt.
		UserPrincipal nobody = nobodyOrSkip();
		Path shared = directory("shared", "rwxr-xr-x");
		Path runtime = Files.createDirectory(shared.resolve("rt"));
		Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
		Files.setOwner(shared, nobody);
		Path safe = directory("safe", "rwx------");

		Path created = ControlDirectory.create(List.of(runtime, safe), this.log);

		assertThat(created.getParent()).isEqualTo(safe);
		assertThat(runtime).isEmptyDirectory();
		assertThat(log().lines()).hasSize(1)
			.first()
			.asString()
			.contains("not using " + runtime + " for the control socket: " + shared + " belongs to uid")
			.contains("Fix: give every directory on the path to root or to uid");
	}

	@Test
	void aBaseReachedThroughASymbolicLinkOfAnotherUserIsSkipped() throws IOException {
		UserPrincipal nobody = nobodyOrSkip();
		Path target = directory("target", "rwx------");
		Path link = Files.createSymbolicLink(this.temp.resolve("link"), target);
		Files.setAttribute(link, "posix:owner", nobody, LinkOption.NOFOLLOW_LINKS);
		Path safe = directory("safe", "rwx------");

		Path created = ControlDirectory.create(List.of(link, safe), this.log);

		assertThat(created.getParent()).isEqualTo(safe);
		assertThat(log())
			.contains("not using " + link + " for the control socket: " + link + " is a symbolic link owned by uid "
					+ Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS));
	}

	@Test
	void withoutASafeBaseTheServerDoesNotOpen() throws IOException {
		Path open = directory("open", "rwxrwxrwx");

		assertThatIOException().isThrownBy(() -> ControlDirectory.create(List.of(open), this.log))
			.withMessageContaining("no safe directory");
	}

	@Test
	void aBaseThatIsNotADirectoryIsPassedOver() throws IOException {
		Path safe = directory("safe", "rwx------");

		Path created = ControlDirectory.create(List.of(this.temp.resolve("missing"), safe), this.log);

		assertThat(created.getParent()).isEqualTo(safe);
	}

	@Test
	void theSocketIsNamedInTheDirectory() {
		assertThat(ControlDirectory.socketIn(this.temp)).isEqualTo(this.temp.resolve("control.sock"));
	}

	@Test
	void removingTheDirectoryRemovesWhatSamPutInIt() throws IOException {
		Path created = ControlDirectory.create(List.of(directory("base", "rwx------")), this.log);
		Files.createFile(ControlDirectory.socketIn(created));
		Files.createFile(created.resolve(SupervisorHandover.FILE_NAME));
		Files.createFile(created.resolve("sam-core.jar"));

		ControlDirectory.removeQuietly(created);

		assertThat(created).doesNotExist();
	}

	@Test
	void aDirectoryHoldingAFileSamDidNotPutThereStays() throws IOException {
		Path created = ControlDirectory.create(List.of(directory("base", "rwx------")), this.log);
		Files.createFile(ControlDirectory.socketIn(created));
		Path foreign = Files.createFile(created.resolve("notes.txt"));

		ControlDirectory.removeQuietly(created);

		assertThat(foreign).exists();
		assertThat(ControlDirectory.socketIn(created)).doesNotExist();
	}

	@Test
	void removingADirectoryThatCannotBeRemovedFailsLoudlyWhenAsked() throws IOException {
		Path created = ControlDirectory.create(List.of(directory("base", "rwx------")), this.log);
		Files.createFile(created.resolve("notes.txt"));

		assertThatIOException().isThrownBy(() -> ControlDirectory.remove(created));
	}

	@Test
	void removingNoDirectoryQuietlyDoesNothing() {
		ControlDirectory.removeQuietly(null);
		ControlDirectory.removeQuietly(this.temp.resolve("missing"));

		assertThat(this.temp.resolve("missing")).doesNotExist();
	}

	private Path directory(String name, String permissions) throws IOException {
		Path directory = Files.createDirectory(this.temp.resolve(name));
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(permissions));
		return directory;
	}

	private UserPrincipal nobodyOrSkip() {
		assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a file away");
		try {
			return this.temp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
		}
		catch (IOException ex) {
			assumeTrue(false, "no user 'nobody'");
			throw new IllegalStateException(ex);
		}
	}

	private String log() {
		return this.output.toString(StandardCharsets.UTF_8);
	}

}
