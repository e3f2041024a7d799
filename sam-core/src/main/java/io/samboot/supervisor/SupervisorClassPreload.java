package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import io.samboot.SamSettings;
import io.samboot.log.SamLog;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.protocol.Message;

/**
 * Loads and links the classes of the supervisor's own packages once the lean supervisor
 * JVM has started, on a short-lived thread of its own, without initialising any of them.
 *
 * <p>
 * Some of the supervisor's code runs only when an instance ends: the restart policy's
 * decision, the standby's state, the line that says so. The first time, its classes came
 * from the jar, read and verified on the loop thread while the decision waited: in a
 * trace of a first crash, three such classes took 1.2 of the 1.7 ms between the exit and
 * the "ended" line. Loaded here, they are ready before any crash, and, since the first
 * supervisor records its class-data archive at its exit ({@link LeanJvmArchive}), they
 * are in that archive too: every later supervisor maps them parsed and verified, and this
 * thread then only looks them up, while instance 1 starts (in one class-load trace, 257
 * classes from the first to the last in 14 ms).
 *
 * <p>
 * Only the supervisor's packages of {@code sam-core} ({@link #PACKAGES}), each without
 * its subpackages: where the lean JVM runs from an application's shaded jar, the rest of
 * that jar is the application's, and loading all of it cost a benchmark's supervisor 13
 * MB. Classes are loaded, not initialised: no static initialiser (JNA's library, a
 * logger) runs before the code that needs it. A class that cannot be loaded (a reference
 * to a library this JVM does not have) is skipped.
 */
final class SupervisorClassPreload {

	/**
	 * The packages whose classes are loaded ahead, named by a class of each: the
	 * supervisor, its protocol, native access, logging, and the core's shared types.
	 */
	static final List<Class<?>> PACKAGES = List.of(SupervisorMain.class, Message.class, NativeAccess.class,
			SamLog.class, SamSettings.class);

	private static final SamLog log = SamLog.get(SupervisorClassPreload.class);

	private SupervisorClassPreload() {
	}

	/**
	 * Starts loading the classes of {@link #PACKAGES} from the jar that holds
	 * {@code anchor}; nothing when it was loaded from a directory (an IDE's build), where
	 * there is no archive either.
	 */
	static void start(Class<?> anchor) {
		Path jar = jarOf(anchor);
		if (jar == null) {
			return;
		}
		ClassLoader loader = anchor.getClassLoader();
		Thread preload = new Thread(() -> {
			try {
				int loaded = load(classNames(jar, PACKAGES), loader);
				log.debug("loaded " + loaded + " classes of " + jar.getFileName() + " ahead of their first use");
			}
			catch (IOException ex) {
				log.debug("cannot list the classes of " + jar + " to load them ahead: " + ex);
			}
		}, "sam-preload");
		preload.setDaemon(true);
		preload.setPriority(Thread.MIN_PRIORITY);
		preload.start();
	}

	/** The jar {@code type} was loaded from, or {@code null}. */
	static Path jarOf(Class<?> type) {
		try {
			SupervisorClassPath.Source source = SupervisorClassPath.sources(type).get(0);
			return (source.nestedEntry() == null && source.isJar()) ? source.file() : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * The binary names of the classes in {@code jar} that belong to the packages of
	 * {@code packages} (not their subpackages), in the jar's order; package descriptors
	 * left out.
	 */
	static List<String> classNames(Path jar, List<Class<?>> packages) throws IOException {
		List<String> directories = packages.stream()
			.map((type) -> type.getPackageName().replace('.', '/') + "/")
			.distinct()
			.toList();
		List<String> names = new ArrayList<>();
		try (JarFile file = new JarFile(jar.toFile(), false)) {
			Enumeration<JarEntry> entries = file.entries();
			while (entries.hasMoreElements()) {
				String entry = entries.nextElement().getName();
				if (entry.endsWith(".class") && !entry.endsWith("package-info.class")
						&& directories.contains(entry.substring(0, entry.lastIndexOf('/') + 1))) {
					names.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
				}
			}
		}
		return names;
	}

	/**
	 * Loads and links (without initialising) each named class with {@code loader};
	 * returns how many it loaded.
	 */
	static int load(List<String> names, ClassLoader loader) {
		int loaded = 0;
		for (String name : names) {
			try {
				// Linked too: the JVM links a class before it lists its constructors.
				// Otherwise the first "new" of it links it on the thread that runs it,
				// at a first crash the loop's.
				Class.forName(name, false, loader).getDeclaredConstructors();
				loaded++;
			}
			catch (ClassNotFoundException | LinkageError ex) {
				// Refers to a library this JVM does not have: not needed here.
			}
		}
		return loaded;
	}

}
