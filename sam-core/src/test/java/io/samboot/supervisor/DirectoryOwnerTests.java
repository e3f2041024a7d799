package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DirectoryOwner}: the control channel's peer check compares uids, and a peer
 * whose name lookup failed (the JDK then names it by its uid, "0" for root) is still its
 * owner.
 */
class DirectoryOwnerTests {

	@TempDir
	Path directory;

	@Test
	void ownerIsTheDirectorysUid() throws IOException {
		DirectoryOwner owner = DirectoryOwner.of(this.directory);

		assertThat(owner.uid()).isEqualTo(Files.getAttribute(this.directory, "unix:uid"));
		assertThat(owner.principal()).isEqualTo(Files.getOwner(this.directory));
	}

	@Test
	void peerOfTheSameUidIsTheOwner() throws IOException {
		UserPrincipal sameUser = FileSystems.getDefault()
			.getUserPrincipalLookupService()
			.lookupPrincipalByName(Files.getOwner(this.directory).getName());

		assertThat(DirectoryOwner.of(this.directory).mismatch(sameUser)).isNull();
	}

	@Test
	void peerWhoseNameLookupFailedIsNamedByItsUidAndStillTheOwner() throws IOException {
		DirectoryOwner owner = DirectoryOwner.of(this.directory);

		assertThat(owner.mismatch(named(Integer.toString(owner.uid())))).isNull();
	}

	@Test
	void peerOfAnotherUidIsRefusedWithBothUsers() throws IOException {
		DirectoryOwner owner = DirectoryOwner.of(this.directory);

		assertThat(owner.mismatch(named(Integer.toString(owner.uid() + 1)))).startsWith("peer runs as user "
				+ (owner.uid() + 1) + ", not as uid " + owner.uid() + " (" + owner.principal().getName());
	}

	@Test
	void peerOfAnotherUserAsTheJdkGivesItIsRefused() throws IOException {
		DirectoryOwner owner = DirectoryOwner.of(this.directory);
		UserPrincipal nobody = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody");

		assertThat(owner.mismatch(nobody)).contains("peer runs as user nobody");
	}

	private static UserPrincipal named(String name) {
		return () -> name;
	}

}
