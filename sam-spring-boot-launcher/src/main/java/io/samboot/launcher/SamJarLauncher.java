package io.samboot.launcher;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.springframework.boot.loader.launch.JarLauncher;
import org.springframework.boot.loader.net.protocol.Handlers;
import org.springframework.boot.loader.net.protocol.jar.JarUrl;

/**
 * The {@code Main-Class} of an executable jar built with {@link SamLayoutFactory}: hands
 * the JVM to SAM's supervisor before Spring Boot's {@link JarLauncher} runs, then (in the
 * instance, or when the process is not to be supervised) runs {@code JarLauncher} as
 * usual.
 *
 * <p>
 * Without it SAM takes over from Spring Boot's {@code ApplicationStartingEvent}, after
 * Spring Boot's launcher, its logging and the {@code SpringApplication} have loaded:
 * about 0.8 s on a quiet 2-CPU machine, which every first start then pays twice. From
 * here it is about 0.1 s.
 *
 * <p>
 * It loads SAM's core and JNA from the jar's {@code BOOT-INF/lib} in a class loader of
 * their own and calls {@code io.samboot.supervisor.EarlySupervision}, which decides as
 * the Spring Boot listener would and, for an application start, never returns; when
 * {@code sam.enabled} may be set in an argument or a config file, it returns and leaves
 * the decision to the listener, which reads the Environment. Anything unexpected leaves
 * the decision to the listener, with one line on standard error. Off with
 * {@code -Dsam.launcher.early=false}. Kept to this one class: the layout copies it alone
 * into the jar's root.
 *
 * <p>
 * From the second start on it loads them from plain copies in the user's cache instead,
 * which the JDK reads without Spring Boot's nested-jar loader (about 80 ms less before
 * instance 1 is launched, on two CPUs): the lean supervisor JVM keeps such copies, and
 * sam-core's {@code LauncherShortcut} leaves a note of where they are, named after the
 * jars' CRC-32s and sizes in this jar's central directory. The copies are used only when
 * the note matches this jar's entries exactly, and the cache's root, the copies'
 * directory, the note and the copies are this user's own, not symbolic links, not
 * writable by group or others, and each copy has the size this jar gives its original.
 */
public final class SamJarLauncher {

	static final String EARLY_PROPERTY = "sam.launcher.early";

	static final String ENTRY_CLASS = "io.samboot.supervisor.EarlySupervision";

	static final Pattern SAM_CORE = Pattern.compile("BOOT-INF/lib/sam-core-\\d[^/]*\\.jar");

	/**
	 * The cluster plug-in, loaded beside the core when the application has it, so quorum
	 * works from the start.
	 */
	static final Pattern SAM_COROSYNC = Pattern.compile("BOOT-INF/lib/sam-corosync-\\d[^/]*\\.jar");

	static final Pattern JNA = Pattern.compile("BOOT-INF/lib/jna-\\d[^/]*\\.jar");

	/** How the notes of sam-core's {@code LauncherShortcut} are named in the cache. */
	static final String NOTE_PREFIX = "launch-";

	/** Where the notes may send the launcher: a copy in a lean JVM's cache directory. */
	static final Pattern COPY = Pattern.compile("lean-[0-9a-f]+/\\d+-[^/]+\\.jar");

	private SamJarLauncher() {
	}

	public static void main(String[] args) throws Exception {
		if (earlySupervisionWanted(System.getenv(), System.getProperty("sam.enabled"),
				System.getProperty(EARLY_PROPERTY), System.getProperty("os.name", ""))) {
			superviseEarly(args);
		}
		JarLauncher.main(args);
	}

	/**
	 * Whether to try: not in an instance (its supervisor's socket is in the environment),
	 * not switched off for SAM or for this launcher, on Linux (where the supervisor can
	 * re-execute itself).
	 */
	static boolean earlySupervisionWanted(Map<String, String> environment, String samEnabled, String early,
			String osName) {
		return environment.get("SAM_SUPERVISOR_SOCKET") == null && !isFalse(samEnabled)
				&& !isFalse(environment.get("SAM_ENABLED")) && !isFalse(early)
				&& osName.toLowerCase(Locale.ROOT).contains("linux");
	}

	/** Spring Boot's words for {@code false}, as SAM reads {@code sam.enabled}. */
	static boolean isFalse(String value) {
		if (value == null) {
			return false;
		}
		String text = value.trim();
		return text.equalsIgnoreCase("false") || text.equalsIgnoreCase("off") || text.equalsIgnoreCase("no")
				|| text.equals("0");
	}

	private static void superviseEarly(String[] args) {
		try {
			File jar = new File(SamJarLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
			List<URL> libraries = samLibraries(jar, cacheRoot(System.getenv(), System.getProperty("user.home")),
					userId());
			if (libraries.size() < 2) {
				// Not a jar with SAM and JNA in it: the listener decides, as without this
				// launcher.
				return;
			}
			Handlers.register();
			URLClassLoader loader = new URLClassLoader(libraries.toArray(new URL[0]),
					ClassLoader.getPlatformClassLoader());
			Class<?> entry = Class.forName(ENTRY_CLASS, true, loader);
			try {
				// Given the arguments and the jar, SAM can leave the decision to Spring
				// Boot when sam.enabled may be set in a profile, a file or an argument.
				entry.getMethod("superviseIfApplicationStart", String[].class, String.class)
					.invoke(null, args, jar.getPath());
			}
			catch (NoSuchMethodException ex) {
				// An older sam-core in the jar.
				entry.getMethod("superviseIfApplicationStart").invoke(null);
			}
			// Back here: this process is not to be supervised (or it is an instance);
			// start as usual.
		}
		catch (Exception | LinkageError ex) {
			System.err.println("[sam-launcher] SAM could not take over before Spring Boot starts (" + ex
					+ "); it takes over when the application starts");
		}
	}

	/**
	 * The nested URLs of SAM's core and of JNA, in that order, then sam-corosync's when
	 * both are there and it is; fewer when missing.
	 */
	static List<URL> samLibraries(File jar) throws Exception {
		return samLibraries(jar, null, -1);
	}

	/**
	 * As {@link #samLibraries(File)}, but the URLs of their plain copies in the cache
	 * when a note there says where they are and they can be trusted.
	 * @param cacheRoot SAM's directory in the user's cache, or {@code null}
	 * @param uid this process's user id
	 */
	static List<URL> samLibraries(File jar, Path cacheRoot, long uid) throws Exception {
		ZipEntry core = null;
		ZipEntry jna = null;
		ZipEntry corosync = null;
		try (ZipFile zip = new ZipFile(jar)) {
			Enumeration<? extends ZipEntry> entries = zip.entries();
			while (entries.hasMoreElements()) {
				ZipEntry entry = entries.nextElement();
				String name = entry.getName();
				if (core == null && SAM_CORE.matcher(name).matches()) {
					core = entry;
				}
				else if (jna == null && JNA.matcher(name).matches()) {
					jna = entry;
				}
				else if (corosync == null && SAM_COROSYNC.matcher(name).matches()) {
					corosync = entry;
				}
			}
		}
		List<ZipEntry> libraries = new ArrayList<>();
		if (core != null) {
			libraries.add(core);
		}
		if (jna != null) {
			libraries.add(jna);
		}
		if (core != null && jna != null && corosync != null) {
			libraries.add(corosync);
		}
		List<URL> copies = (cacheRoot != null && libraries.size() >= 2) ? cachedCopies(libraries, cacheRoot, uid)
				: null;
		if (copies != null) {
			return copies;
		}
		List<URL> found = new ArrayList<>();
		for (ZipEntry library : libraries) {
			found.add(JarUrl.create(jar, library.getName()));
		}
		return found;
	}

	/**
	 * The URLs of the copies the cache's note for these entries names, or {@code null}
	 * when there is no such note or anything about it cannot be trusted.
	 */
	static List<URL> cachedCopies(List<ZipEntry> libraries, Path root, long uid) {
		StringBuilder described = new StringBuilder();
		for (ZipEntry library : libraries) {
			if (library.getCrc() < 0 || library.getSize() < 0) {
				return null;
			}
			described.append(library.getName())
				.append('\t')
				.append(Long.toHexString(library.getCrc()))
				.append('\t')
				.append(library.getSize())
				.append('\n');
		}
		CRC32 crc = new CRC32();
		crc.update(described.toString().getBytes(StandardCharsets.UTF_8));
		Path note = root.resolve(NOTE_PREFIX + Long.toHexString(crc.getValue()));
		try {
			if (!isPrivate(root, true, uid) || !isPrivate(note, false, uid)) {
				return null;
			}
			String[] lines = Files.readString(note, StandardCharsets.UTF_8).split("\n");
			String[] expected = described.toString().split("\n");
			if (lines.length != expected.length) {
				return null;
			}
			List<URL> copies = new ArrayList<>();
			for (int i = 0; i < lines.length; i++) {
				int tab = lines[i].lastIndexOf('\t');
				if (tab < 0 || !lines[i].substring(0, tab).equals(expected[i])) {
					return null;
				}
				String relative = lines[i].substring(tab + 1);
				if (!COPY.matcher(relative).matches()) {
					return null;
				}
				Path copy = root.resolve(relative);
				if (!isPrivate(copy.getParent(), true, uid) || !isPrivate(copy, false, uid)
						|| Files.size(copy) != libraries.get(i).getSize()) {
					return null;
				}
				copies.add(copy.toUri().toURL());
			}
			// Used: not to be removed as unused by the lean JVM's clean-up.
			Files.setLastModifiedTime(note, FileTime.fromMillis(System.currentTimeMillis()));
			return copies;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Whether {@code path} is a directory (or a regular file) of this user's, not a
	 * symbolic link, which neither its group nor others may write.
	 */
	private static boolean isPrivate(Path path, boolean directory, long uid) throws IOException {
		if (directory ? !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
				: !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
			return false;
		}
		Map<String, Object> attributes = Files.readAttributes(path, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
		return ((Integer) attributes.get("uid")) == uid && (((Integer) attributes.get("mode")) & 0022) == 0;
	}

	/**
	 * SAM's directory in the user's cache, as the lean JVM chooses it
	 * ({@code $XDG_CACHE_HOME/sam-boot}, or {@code ~/.cache/sam-boot}); {@code null}
	 * without a home.
	 */
	static Path cacheRoot(Map<String, String> environment, String home) {
		try {
			String cache = environment.get("XDG_CACHE_HOME");
			if (cache != null && !cache.isBlank() && Path.of(cache).isAbsolute()) {
				return Path.of(cache, "sam-boot");
			}
			if (home == null || home.isBlank() || home.equals("?")) {
				return null;
			}
			return Path.of(home, ".cache", "sam-boot");
		}
		catch (InvalidPathException ex) {
			return null;
		}
	}

	/**
	 * This process's user id, as the owner of {@code /proc/self} (Linux, where this
	 * launcher acts); -1 when unknown, which no file has.
	 */
	private static long userId() {
		try {
			return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

}
