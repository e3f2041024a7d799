package io.samboot.nativeaccess;

import java.util.List;
import java.util.Locale;

import io.samboot.JvmSwitch;
import io.samboot.log.SamLog;

/**
 * Chooses the {@link NativeAccess} implementation once per JVM, when
 * {@link NativeAccess#get()} is first called.
 *
 * <p>
 * JNA is an optional dependency, so this class never links against it directly: it checks
 * that {@code com.sun.jna.Native} can be loaded, then asks {@link JnaLibc#load(boolean)}
 * to bind the C library, hands that to {@link LinuxNativeAccess} or
 * {@link MacNativeAccess}, and falls back to {@link FallbackNativeAccess} on any
 * {@link LinkageError} or {@link RuntimeException} on the way. A fallback logs exactly
 * one line saying why, what SAM cannot do then and how to fix it. The system property
 * {@value #MODE_PROPERTY}{@code =fallback} forces the fallback (for tests).
 */
final class NativeAccessHolder {

	/** The JVM switch that forces the fallback when set to {@code fallback}. */
	static final String MODE_PROPERTY = JvmSwitch.NATIVE.propertyName();

	private static final SamLog LOG = SamLog.get(NativeAccess.class);

	private static final String LIMITS = "SAM can then send only SIGTERM and SIGKILL (through ProcessHandle) and"
			+ " cannot make instances die when the supervisor is killed (PR_SET_PDEATHSIG)";

	static final NativeAccess INSTANCE = chooseAndLog();

	private NativeAccessHolder() {
	}

	private static NativeAccess chooseAndLog() {
		Choice choice = choose(JvmSwitch.NATIVE.value().orElse(null), System.getProperty("os.name", ""));
		switch (choice.level()) {
			case DEBUG -> LOG.debug(choice.message());
			case INFO -> LOG.info(choice.message());
			case WARN -> LOG.warn(choice.message());
			case ERROR -> LOG.error(choice.message());
		}
		return choice.access();
	}

	/**
	 * The choice for the given setting of {@value #MODE_PROPERTY} and {@code os.name};
	 * binding the C library happens here, logging does not.
	 */
	static Choice choose(String mode, String osName) {
		if (mode != null && "fallback".equals(mode.trim().toLowerCase(Locale.ROOT))) {
			return fallback(SamLog.Level.INFO, "the system property " + MODE_PROPERTY + "=fallback asks for it",
					"remove -D" + MODE_PROPERTY + "=fallback to use JNA");
		}
		String os = osName.toLowerCase(Locale.ROOT);
		boolean linux = os.startsWith("linux");
		if (!linux && !os.startsWith("mac")) {
			return fallback(SamLog.Level.WARN, "SAM calls the C library only on Linux and macOS, not on " + osName,
					"run the supervisor on Linux or macOS for full signal support");
		}
		if (!isJnaPresent()) {
			return fallback(SamLog.Level.WARN, "JNA (com.sun.jna.Native) is not on the class path",
					"add the dependency net.java.dev.jna:jna (and on JDK 22 or later run java with"
							+ " --enable-native-access=ALL-UNNAMED)");
		}
		try {
			Libc libc = JnaLibc.load(linux);
			NativeAccess access = linux ? new LinuxNativeAccess(libc) : new MacNativeAccess(libc);
			return new Choice(access, SamLog.Level.DEBUG, "SAM native access uses " + access);
		}
		catch (LinkageError | RuntimeException ex) {
			return fallback(SamLog.Level.WARN, "loading the C library through JNA failed (" + describe(ex) + ")",
					"check that net.java.dev.jna:jna is a version with natives for this platform"
							+ " and, on JDK 22 or later, run java with --enable-native-access=ALL-UNNAMED");
		}
	}

	/**
	 * See {@link NativeAccess#libraryClasses()}: JNA's when the choice calls C, none
	 * otherwise.
	 */
	static List<Class<?>> libraryClasses() {
		return INSTANCE.isNative() ? JnaLibc.libraryClasses() : List.of();
	}

	private static boolean isJnaPresent() {
		try {
			Class.forName("com.sun.jna.Native", false, NativeAccessHolder.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	private static String describe(Throwable ex) {
		Throwable cause = (ex instanceof ExceptionInInitializerError && ex.getCause() != null) ? ex.getCause() : ex;
		return cause.getClass().getName() + ": " + cause.getMessage();
	}

	private static Choice fallback(SamLog.Level level, String why, String fix) {
		return new Choice(new FallbackNativeAccess(), level,
				"SAM native access unavailable: " + why + "; " + LIMITS + "; to fix, " + fix);
	}

	/** An implementation with the one line to log about it. */
	record Choice(NativeAccess access, SamLog.Level level, String message) {
	}

}
