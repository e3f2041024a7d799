package io.samboot.supervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a JVM's HotSpot performance data file is, and how {@link HotSpotPauseProbe} opens
 * it: all the probe's access to the file system ({@code /tmp/hsperfdata_<user>/<pid>} and
 * {@code /proc/<pid>/maps}) is here, the bytes are {@link HsPerfData}'s.
 *
 * <p>
 * Every HotSpot JVM creates its file at start-up unless started with
 * {@code -XX:-UsePerfData} or {@code -XX:+PerfDisableSharedMem}; {@code <user>} is the
 * JVM's effective user, and the directory is {@code /tmp} on Linux whatever
 * {@code java.io.tmpdir} says. The file is 32 KiB by default, mode {@code 0600}: only
 * that user (or root) can read it. A JVM that exits deletes it; one that is killed leaves
 * it behind.
 */
final class HsPerfDataFiles {

	/** Where HotSpot keeps {@code hsperfdata_<user>} directories on Linux. */
	static final Path PERF_DATA_ROOT = Path.of("/tmp");

	private HsPerfDataFiles() {
	}

	/**
	 * The performance data file of the process with this PID, if there is one: in the
	 * directory of the process's user, else in any {@code hsperfdata_*} directory.
	 * @param root the directory holding the {@code hsperfdata_<user>} directories
	 * @param pid the process ID
	 * @return the regular file named after the PID, or empty
	 */
	static Optional<Path> locate(Path root, long pid) {
		String name = Long.toString(pid);
		Optional<String> user = ProcessHandle.of(pid).flatMap((process) -> process.info().user());
		if (user.isPresent()) {
			Path expected = root.resolve("hsperfdata_" + user.get()).resolve(name);
			if (Files.isRegularFile(expected)) {
				return Optional.of(expected);
			}
		}
		// The owner's name and the directory's may differ (a numeric or changed user):
		// look in all of them.
		try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, "hsperfdata_*")) {
			for (Path dir : dirs) {
				Path candidate = dir.resolve(name);
				if (Files.isRegularFile(candidate)) {
					return Optional.of(candidate);
				}
			}
		}
		catch (IOException | UncheckedIOException ex) {
			// an unreadable /tmp: nothing found
		}
		return Optional.empty();
	}

	/**
	 * Opens the file and maps all of it read-only: the one place the probe opens a
	 * performance data file.
	 * @param file the file {@link #locate} found
	 * @return the mapping, and the key that tells whether the path still names this file
	 * @throws java.nio.file.NoSuchFileException when the file is gone (its JVM exited)
	 * @throws IOException when it cannot be opened or read
	 * @throws HsPerfData.NotPerfDataException when it is shorter than a prologue or too
	 * long to map
	 */
	static Mapped map(Path file) throws IOException, HsPerfData.NotPerfDataException {
		try (FileChannel channel = FileChannel.open(file)) {
			Object fileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
			long size = channel.size();
			if (size < HsPerfData.PROLOGUE_SIZE || size > Integer.MAX_VALUE) {
				throw new HsPerfData.NotPerfDataException(
						"is " + size + " bytes long, not a HotSpot performance data file");
			}
			return new Mapped(fileKey, channel.map(FileChannel.MapMode.READ_ONLY, 0, size));
		}
	}

	/**
	 * Whether the path still names the file with this key (a JVM that exits deletes its
	 * file, one with the same PID creates another).
	 */
	static boolean isStillTheFile(Path file, Object fileKey) {
		try {
			Object now = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
			return Objects.equals(fileKey, now);
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Whether {@code /proc/<pid>/maps} lists the file, that is the JVM with that PID is
	 * the one writing it; {@code true} too when reading the maps is not permitted (the
	 * file was, so it is believed).
	 */
	static boolean mapsFile(Long pid, Path file) {
		String suffix;
		try {
			suffix = " " + file.toRealPath();
		}
		catch (IOException ex) {
			return false;
		}
		try (Stream<String> lines = Files.lines(Path.of("/proc", pid.toString(), "maps"), StandardCharsets.UTF_8)) {
			return lines.anyMatch((line) -> line.endsWith(suffix));
		}
		catch (AccessDeniedException ex) {
			return true;
		}
		catch (IOException | UncheckedIOException ex) {
			return false; // no such process, or it ended while being read
		}
	}

	/**
	 * A performance data file mapped into memory.
	 *
	 * @param fileKey the file's key ({@link BasicFileAttributes#fileKey()}) when it was
	 * opened
	 * @param buffer all of the file, read-only
	 */
	record Mapped(Object fileKey, ByteBuffer buffer) {

	}

}
