package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole path to a base directory, from {@code /} down, checked for anything another
 * user could swap: in a private directory of the test's own (under {@code /tmp}, which is
 * sticky and root's, as the real one is).
 */
class BasePathTests {

	@TempDir
	Path temp;

	private long uid;

	@BeforeEach
	void ownUid() throws IOException {
		this.uid = (Integer) Files.getAttribute(this.temp, "unix:uid");
	}

	@Test
	void aPrivateDirectoryUnderTheStickyTmpIsSafe() throws IOException {
		assumeTrue(
				Files.getAttribute(this.temp.getParent(), "unix:mode") instanceof Integer mode && (mode & 01000) != 0,
				"the temp dir's parent is sticky");

		assertThat(BasePath.problem(directory("base", "rwx------"), this.uid)).isNull();
	}

	@Test
	void aStickyDirectoryOthersMayWriteToIsSafeWhenOwnedByThisUser() throws IOException {
		Path sticky = directory("sticky", "rwxrwxrwx");
		Files.setAttribute(sticky, "unix:mode", 01777);
		Path base = Files.createDirectory(sticky.resolve("base"));

		assertThat(BasePath.problem(base, this.uid)).isNull();
	}

	@Test
	void aGroupWritableComponentAboveTheBaseIsNamed() throws IOException {
		Path group = directory("group", "rwxrwxr-x");
		Path base = Files.createDirectory(group.resolve("base"));
		Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx------"));

		assertThat(BasePath.problem(base, this.uid))
			.isEqualTo(group + " may be written by its group (mode 0775) and is not sticky, so they could rename what"
					+ " is in it");
	}

	@Test
	void aComponentOfAnotherUserAboveTheBaseIsNamed() throws IOException {
		UserPrincipal nobody = nobodyOrSkip();
		Path theirs = directory("theirs", "rwxr-xr-x");
		Path base = Files.createDirectory(theirs.resolve("base"));
		Files.setOwner(theirs, nobody);

		assertThat(BasePath.problem(base, this.uid))
			.isEqualTo(theirs + " belongs to uid " + Files.getAttribute(theirs, "unix:uid")
					+ " (nobody), who could rename what is in it and put a socket" + " of their own in its place");
	}

	@Test
	void aSymbolicLinkOfThisUserIsFollowedAndItsTargetChecked() throws IOException {
		Path open = directory("open", "rwxrwxrwx");
		Path target = Files.createDirectory(open.resolve("target"));
		Path link = Files.createSymbolicLink(directory("links", "rwx------").resolve("base"), target);

		assertThat(BasePath.problem(link, this.uid)).startsWith(open + " may be written by other users (mode 0777)");
	}

	@Test
	void aRelativeSymbolicLinkIsFollowedFromItsDirectory() throws IOException {
		Path safe = directory("safe", "rwx------");
		Path links = directory("links", "rwx------");
		Path link = Files.createSymbolicLink(links.resolve("base"), Path.of("..", "safe"));

		assertThat(BasePath.problem(link, this.uid)).isNull();
		// ".." after a link is the parent of where it led, as the kernel takes it.
		assertThat(BasePath.problem(link.resolve("..").resolve("safe"), this.uid)).isNull();
	}

	@Test
	void aSymbolicLinkOfAnotherUserIsRefusedWhereverItLeads() throws IOException {
		UserPrincipal nobody = nobodyOrSkip();
		Path target = directory("target", "rwx------");
		Path link = Files.createSymbolicLink(this.temp.resolve("link"), target);
		Files.setAttribute(link, "posix:owner", nobody, LinkOption.NOFOLLOW_LINKS);

		assertThat(BasePath.problem(link, this.uid)).isEqualTo(link + " is a symbolic link owned by uid "
				+ Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ", who chooses where it leads");
	}

	@Test
	void aLoopOfSymbolicLinksIsRefused() throws IOException {
		Path links = directory("links", "rwx------");
		Files.createSymbolicLink(links.resolve("a"), links.resolve("b"));
		Files.createSymbolicLink(links.resolve("b"), links.resolve("a"));

		assertThat(BasePath.problem(links.resolve("a"), this.uid)).contains("more than 40 symbolic links");
	}

	@Test
	void aFileIsNotABase() throws IOException {
		Path file = Files.createFile(this.temp.resolve("file"));

		assertThat(BasePath.problem(file, this.uid)).isEqualTo(file + " is not a directory");
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

	private Path directory(String name, String permissions) throws IOException {
		Path directory = Files.createDirectory(this.temp.resolve(name));
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(permissions));
		return directory;
	}

}
