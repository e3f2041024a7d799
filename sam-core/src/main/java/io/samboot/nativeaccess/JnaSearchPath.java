package io.samboot.nativeaccess;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The directories JNA searches for a library by name on Linux
 * ({@code jna.platform.library.path}), worked out as JNA does at its first load but
 * without running {@code /sbin/ldconfig -p}: JNA starts that as a child process to list
 * the directories of the dynamic linker's cache, some 20 ms of every JVM's first native
 * call (the launcher, the lean supervisor, an instance that loads JNA). The cache is
 * built from the directories {@code /etc/ld.so.conf} names, so those are read instead,
 * after the fixed directories JNA puts first. A property set by the user is left alone.
 */
final class JnaSearchPath {

	static final String PROPERTY = "jna.platform.library.path";

	private static final int MAX_INCLUDE_DEPTH = 8;

	private JnaSearchPath() {
	}

	/** Sets the property for JNA on Linux, unless it is set already. */
	static void setIfUnset() {
		if (System.getProperty(PROPERTY) != null
				|| !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
			return;
		}
		String path = String.join(File.pathSeparator, directories(Path.of("/"),
				multiArch(System.getProperty("os.arch")), "64".equals(System.getProperty("sun.arch.data.model"))));
		if (!path.isEmpty()) {
			System.setProperty(PROPERTY, path);
		}
	}

	/**
	 * JNA's fixed directories first (the multi-arch ones, then {@code lib64} on a 64-bit
	 * JVM, then {@code lib}), then those {@code etc/ld.so.conf} names, each once and only
	 * if it is a directory.
	 * @param root where the file system starts (a test's directory)
	 * @param multiArch the multi-arch tuple, such as {@code x86_64-linux-gnu}
	 */
	static List<String> directories(Path root, String multiArch, boolean is64Bit) {
		Set<String> candidates = new LinkedHashSet<>();
		String arch = is64Bit ? "64" : "32";
		candidates.add("/usr/lib/" + multiArch);
		candidates.add("/lib/" + multiArch);
		candidates.add("/usr/lib" + arch);
		candidates.add("/lib" + arch);
		candidates.add("/usr/lib");
		candidates.add("/lib");
		readConf(root, root.resolve("etc/ld.so.conf"), candidates, 0);
		List<String> directories = new ArrayList<>();
		for (String candidate : candidates) {
			if (Files.isDirectory(root.resolve(candidate.substring(1)))) {
				directories.add(candidate);
			}
		}
		return directories;
	}

	/**
	 * The multi-arch tuple JNA would use for this JVM's {@code os.arch}.
	 */
	static String multiArch(String osArch) {
		String arch = (osArch != null) ? osArch : "";
		return switch (arch) {
			case "amd64", "x86_64" -> "x86_64-linux-gnu";
			case "x86", "i386", "i486", "i586", "i686" -> "i386-linux-gnu";
			case "arm" -> "arm-linux-gnueabi";
			case "ppc64le", "ppc64" -> "powerpc64-linux-gnu";
			case "mips64el" -> "mips64el-linux-gnuabi64";
			default -> arch + "-linux-gnu";
		};
	}

	/**
	 * Adds the directories one configuration file names, following its {@code include}
	 * lines (with {@code *} in the file name); comments and {@code hwcap} lines are
	 * skipped, an unreadable file adds nothing.
	 */
	private static void readConf(Path root, Path conf, Set<String> directories, int depth) {
		if (depth > MAX_INCLUDE_DEPTH) {
			return;
		}
		List<String> lines;
		try {
			lines = Files.readAllLines(conf);
		}
		catch (IOException | RuntimeException ex) {
			return;
		}
		for (String raw : lines) {
			int hash = raw.indexOf('#');
			String line = ((hash >= 0) ? raw.substring(0, hash) : raw).trim();
			if (line.startsWith("include") && line.length() > 7 && Character.isWhitespace(line.charAt(7))) {
				for (String pattern : line.substring(8).trim().split("\\s+")) {
					for (Path included : matching(root, conf, pattern)) {
						readConf(root, included, directories, depth + 1);
					}
				}
			}
			else if (line.startsWith("/")) {
				// A directory, possibly followed by "=type" or more names.
				for (String word : line.split("[\\s,:]+")) {
					int equals = word.indexOf('=');
					String directory = (equals >= 0) ? word.substring(0, equals) : word;
					if (directory.startsWith("/")) {
						directories.add(directory);
					}
				}
			}
		}
	}

	/** The files an include pattern names, in name order, as ldconfig reads them. */
	private static List<Path> matching(Path root, Path conf, String pattern) {
		Path absolute = pattern.startsWith("/") ? root.resolve(pattern.substring(1)) : conf.resolveSibling(pattern);
		Path directory = absolute.getParent();
		String glob = absolute.getFileName().toString();
		List<Path> files = new ArrayList<>();
		if (directory == null || !Files.isDirectory(directory)) {
			return files;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, glob)) {
			for (Path entry : entries) {
				if (Files.isRegularFile(entry)) {
					files.add(entry);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			return files;
		}
		files.sort(null);
		return files;
	}

}
