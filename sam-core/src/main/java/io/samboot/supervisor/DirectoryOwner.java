package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;

/**
 * The user a control directory belongs to, as the peer check compares it with a
 * connection's {@code SO_PEERCRED} user: by uid, never by name. A name is what a user
 * lookup ({@code getpwuid}) answered at that moment; when the lookup fails, as it does
 * when the process is out of file descriptors and cannot read {@code /etc/passwd}, the
 * JDK answers the uid as a string ("0" instead of "root"), and a legitimate peer would be
 * refused.
 *
 * @param principal the directory's owner as the JDK gives it ({@link Files#getOwner}),
 * whose {@code equals} on Unix compares uids
 * @param uid the owner's numeric uid ({@code unix:uid})
 */
record DirectoryOwner(UserPrincipal principal, int uid) {

	/** The owner of this directory (not of what a link names). */
	static DirectoryOwner of(Path directory) throws IOException {
		UserPrincipal principal = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS);
		int uid;
		try {
			uid = (Integer) Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
		}
		catch (UnsupportedOperationException | IllegalArgumentException ex) {
			uid = -1; // no Unix attributes: only the principal compares
		}
		return new DirectoryOwner(principal, uid);
	}

	/**
	 * Why a peer of this user is not the owner, or {@code null} if it is.
	 * @param peer the user of {@code SO_PEERCRED}
	 */
	String mismatch(UserPrincipal peer) {
		if (peer.equals(this.principal)) {
			// The JDK's Unix principals are equal exactly when their uids are.
			return null;
		}
		if (peer.getClass() != this.principal.getClass() && this.uid >= 0
				&& Integer.toString(this.uid).equals(peer.getName())) {
			// A principal of another kind that carries only a name: the JDK's way of
			// naming a uid it could not look up.
			return null;
		}
		return "peer runs as user " + peer.getName() + ", not as uid " + this.uid + " (" + this.principal.getName()
				+ "), the control directory's owner";
	}

}
