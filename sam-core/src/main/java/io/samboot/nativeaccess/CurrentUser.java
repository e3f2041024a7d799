package io.samboot.nativeaccess;

import java.util.OptionalLong;

import com.sun.security.auth.module.UnixSystem;

/**
 * This process's user id, as a number: what ownership and peer credentials are compared
 * with. From the JDK's {@code jdk.security.auth} module ({@code getuid}), so it needs
 * neither JNA nor a user name lookup (which fails when the process is out of file
 * descriptors).
 */
public final class CurrentUser {

	private CurrentUser() {
	}

	/**
	 * The uid, or empty where the JDK cannot tell (no Unix, or a runtime without the
	 * module).
	 */
	public static OptionalLong uid() {
		try {
			return OptionalLong.of(new UnixSystem().getUid());
		}
		catch (LinkageError | RuntimeException ex) {
			return OptionalLong.empty();
		}
	}

}
