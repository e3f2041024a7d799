package io.samboot.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The note that lets the early launcher ({@code io.samboot.launcher.SamJarLauncher}) load
 * SAM from the lean JVM's cache rather than from inside the executable jar.
 *
 * <p>
 * Why: reading classes out of a jar nested in the executable jar needs Spring Boot's
 * nested-jar loader, which the JVM the user started must first load and warm up; on two
 * CPUs that is about 80 ms of every supervised first start before instance 1 can be
 * launched, while the same classes in a plain jar are read by the JDK's own loader. The
 * lean JVM's cache already holds plain copies of the very jars ({@link LeanJvmArchive}),
 * so the launcher only needs to find them without reading the nested jars, which it
 * cannot afford.
 *
 * <p>
 * The note is a file {@value #PREFIX}{@code <crc>} in the cache's root, named after the
 * CRC-32 of its first lines: for each of SAM's jars, in the launcher's order, the entry's
 * name in the executable jar, the CRC-32 of its bytes and its size, all three read from
 * the executable jar's central directory, separated by tabs. A fourth field on each line
 * is where the copy is, relative to the root. The launcher computes the same lines from
 * the jar it runs from and uses the copies only when the note holds exactly those lines
 * and every copy is the user's own and of the size the jar names; otherwise it reads the
 * nested jars, as it always could.
 */
final class LauncherShortcut {

	/** How the notes' file names begin. */
	static final String PREFIX = "launch-";

	private LauncherShortcut() {
	}

	/**
	 * Writes the note for these sources and their copies in the cache, when every source
	 * is a jar nested in one executable jar (otherwise the launcher cannot have loaded
	 * them from there, and there is nothing to note).
	 * @param root the cache's root
	 * @param sources the lean JVM's class path as this JVM loaded it
	 * @param copies their copies, under {@code root}, in the same order
	 */
	static void record(Path root, List<SupervisorClassPath.Source> sources, List<Path> copies) throws IOException {
		Path outer = null;
		for (SupervisorClassPath.Source source : sources) {
			if (source.nestedEntry() == null || (outer != null && !outer.equals(source.file()))) {
				return;
			}
			outer = source.file();
		}
		if (outer == null) {
			return;
		}
		StringBuilder described = new StringBuilder();
		StringBuilder note = new StringBuilder();
		try (ZipFile jar = new ZipFile(outer.toFile())) {
			for (int i = 0; i < sources.size(); i++) {
				String line = line(jar, sources.get(i).nestedEntry());
				if (line == null) {
					return;
				}
				described.append(line).append('\n');
				note.append(line).append('\t').append(root.relativize(copies.get(i))).append('\n');
			}
		}
		Path file = root.resolve(fileName(described.toString()));
		byte[] bytes = note.toString().getBytes(StandardCharsets.UTF_8);
		if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), bytes)) {
			return;
		}
		Path written = Files.createTempFile(root, ".staging-launch-", ".part");
		try {
			Files.write(written, bytes);
			Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			Files.deleteIfExists(written);
		}
	}

	/**
	 * One jar's line as the launcher computes it: name, CRC-32 in hexadecimal and size,
	 * separated by tabs; {@code null} when the jar has no such entry.
	 */
	static String line(ZipFile jar, String entryName) {
		ZipEntry entry = jar.getEntry(entryName);
		if (entry == null || entry.getCrc() < 0 || entry.getSize() < 0) {
			return null;
		}
		return entryName + '\t' + Long.toHexString(entry.getCrc()) + '\t' + entry.getSize();
	}

	/**
	 * The note's file name for these lines (each ending with a new line): the prefix and
	 * their CRC-32 in hexadecimal.
	 */
	static String fileName(String described) {
		CRC32 crc = new CRC32();
		crc.update(described.getBytes(StandardCharsets.UTF_8));
		return PREFIX + Long.toHexString(crc.getValue());
	}

}
