package io.samboot.corosync;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.samboot.JvmSwitch;

/**
 * Loads corosync's client libraries through JNA, once per name, without linking against
 * JNA itself: when JNA or a library is missing this says so with a
 * {@link CorosyncUnavailableException} instead of a {@link LinkageError}.
 *
 * <p>
 * The names default to the sonames of corosync 3 ({@code libquorum.so.5},
 * {@code libcmap.so.4}); the JVM switches {@link JvmSwitch#COROSYNC_QUORUM_LIBRARY} and
 * {@link JvmSwitch#COROSYNC_CMAP_LIBRARY} override them (a path or another soname), for a
 * corosync installed elsewhere or a test that plays a missing library.
 */
final class CorosyncLibraries {

	static final String QUORUM_PROPERTY = JvmSwitch.COROSYNC_QUORUM_LIBRARY.propertyName();

	static final String CMAP_PROPERTY = JvmSwitch.COROSYNC_CMAP_LIBRARY.propertyName();

	static final String DEFAULT_QUORUM = JvmSwitch.COROSYNC_QUORUM_LIBRARY.defaultValue();

	static final String DEFAULT_CMAP = JvmSwitch.COROSYNC_CMAP_LIBRARY.defaultValue();

	/** What a user installs to get the libraries and the daemon. */
	static final String INSTALL = "apt-get install corosync libquorum5 libcmap4 (Debian, Ubuntu) or"
			+ " dnf install corosync corosynclib (Fedora, RHEL)";

	private static final Map<String, QuorumLibrary> QUORUM = new ConcurrentHashMap<>();

	private static final Map<String, CmapLibrary> CMAP = new ConcurrentHashMap<>();

	private CorosyncLibraries() {
	}

	static String quorumName() {
		return JvmSwitch.COROSYNC_QUORUM_LIBRARY.valueOrDefault();
	}

	static String cmapName() {
		return JvmSwitch.COROSYNC_CMAP_LIBRARY.valueOrDefault();
	}

	/** {@code libquorum} by name; see the class description. */
	static QuorumLibrary quorum(String name) {
		requireJna(name);
		QuorumLibrary loaded = QUORUM.get(name);
		if (loaded == null) {
			try {
				loaded = JnaQuorum.load(name);
			}
			catch (LinkageError | RuntimeException ex) {
				throw missing(name, "libquorum5", QUORUM_PROPERTY, DEFAULT_QUORUM, ex);
			}
			QUORUM.putIfAbsent(name, loaded);
		}
		return loaded;
	}

	/** {@code libcmap} by name; see the class description. */
	static CmapLibrary cmap(String name) {
		requireJna(name);
		CmapLibrary loaded = CMAP.get(name);
		if (loaded == null) {
			try {
				loaded = JnaCmap.load(name);
			}
			catch (LinkageError | RuntimeException ex) {
				throw missing(name, "libcmap4", CMAP_PROPERTY, DEFAULT_CMAP, ex);
			}
			CMAP.putIfAbsent(name, loaded);
		}
		return loaded;
	}

	private static void requireJna(String library) {
		try {
			Class.forName("com.sun.jna.Native", false, CorosyncLibraries.class.getClassLoader());
		}
		catch (ClassNotFoundException | LinkageError ex) {
			throw new CorosyncUnavailableException(CorosyncUnavailableException.Reason.JNA_MISSING,
					"SAM calls corosync's " + library + " through JNA, and JNA (com.sun.jna.Native) is not on the"
							+ " class path",
					"Add the dependency net.java.dev.jna:jna (sam-spring-boot-starter brings it)", ex);
		}
	}

	private static CorosyncUnavailableException missing(String name, String debianPackage, String property,
			String defaultName, Throwable ex) {
		String detail = String.valueOf(ex.getMessage()).lines().findFirst().orElse("").trim();
		return new CorosyncUnavailableException(CorosyncUnavailableException.Reason.LIBRARY_MISSING,
				"corosync's client library " + name + " cannot be loaded (" + detail + "): corosync is not installed"
						+ " on this machine, or not its package " + debianPackage,
				"Install corosync and its client libraries: " + INSTALL + " (for a library installed elsewhere, set -D"
						+ property + "=/path/to/" + defaultName + ")",
				ex);
	}

}
