package io.samboot.corosync;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads corosync's client libraries through JNA, once per name, without linking against JNA itself:
 * when JNA or a library is missing this says so with a {@link CorosyncUnavailableException} instead
 * of a {@link LinkageError}.
 *
 * <p>The names default to the sonames of corosync 3 ({@value #DEFAULT_QUORUM}, {@value #DEFAULT_CMAP});
 * the system properties {@value #QUORUM_PROPERTY} and {@value #CMAP_PROPERTY} override them (a path
 * or another soname), for a corosync installed elsewhere or a test that plays a missing library.
 */
final class CorosyncLibraries {

    static final String QUORUM_PROPERTY = "sam.corosync.quorum-library";

    static final String CMAP_PROPERTY = "sam.corosync.cmap-library";

    static final String DEFAULT_QUORUM = "libquorum.so.5";

    static final String DEFAULT_CMAP = "libcmap.so.4";

    /** What a user installs to get the libraries and the daemon. */
    static final String INSTALL = "apt-get install corosync libquorum5 libcmap4 (Debian, Ubuntu) or"
            + " dnf install corosync corosynclib (Fedora, RHEL)";

    private static final Map<String, QuorumLibrary> QUORUM = new ConcurrentHashMap<>();

    private static final Map<String, CmapLibrary> CMAP = new ConcurrentHashMap<>();

    private CorosyncLibraries() {
    }

    static String quorumName() {
        return System.getProperty(QUORUM_PROPERTY, DEFAULT_QUORUM);
    }

    static String cmapName() {
        return System.getProperty(CMAP_PROPERTY, DEFAULT_CMAP);
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
                "Install corosync and its client libraries: " + INSTALL
                        + " (for a library installed elsewhere, set -D" + property + "=/path/to/" + defaultName + ")",
                ex);
    }
}
