package io.samboot.supervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

import io.samboot.nativeaccess.NativeAccess;

/**
 * Where a JVM's HotSpot performance data file is, and how {@link HotSpotPauseProbe} opens
 * it: all the probe's access to the file system ({@code /tmp/hsperfdata_<user>/<pid>} and
 * {@code /proc/<pid>/maps}) is here, the bytes are {@link HsPerfData}'s.
 *
 * <p>
 * Every HotSpot JVM creates its file at start-up unless started with
 * {@code -XX:-UsePerfData} or {@code -XX:+PerfDisableSharedMem}; {@code <user>} is the
 * JVM's effective user, and the directory is {@code /tmp} on Linux whatever
 * {@code java.io.tmpdir} says. {@code /tmp} is everyone's, so everything found there is
 * checked to belong to that user, by uid, before it is opened. The file is 32 KiB by
 * default, mode {@code 0600}: only that user (or root) can read it. A JVM that exits
 * deletes it; one that is killed leaves it behind.
 */
final class HsPerfDataFiles {

	/** Where HotSpot keeps {@code hsperfdata_<user>} directories on Linux. */
	static final Path PERF_DATA_ROOT = Path.of("/tmp");

	private HsPerfDataFiles() {
	}

	/**
	 * The performance data file of the process with this PID, if there is one, in a
	 * {@code hsperfdata_*} directory of the process's own user. Another user's directory
	 * is never looked in, whatever its name: anyone may create {@code /tmp/hsperfdata_x}
	 * before user {@code x} does (HotSpot then silently writes no file) and put a FIFO
	 * named after the PID in it, which would block whoever opens it. So directories are
	 * told apart by their owner's uid, not by name; one that others may write to is
	 * skipped too.
	 * @param root the directory holding the {@code hsperfdata_<user>} directories
	 * @param pid the process ID
	 * @param uid the process's effective user id ({@link #effectiveUid})
	 * @return the regular file named after the PID, or empty
	 */
	static Optional<Path> locate(Path root, long pid, int uid) {
		String name = Long.toString(pid);
		try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, "hsperfdata_*")) {
			for (Path dir : dirs) {
				Path candidate = dir.resolve(name);
				if (isOwnDirectory(dir, uid) && Files.isRegularFile(candidate, LinkOption.NOFOLLOW_LINKS)) {
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
	 * Whether the directory itself (not a link to one) belongs to this uid and only its
	 * owner may add files to it, as HotSpot makes it ({@code rwxr-xr-x}).
	 */
	private static boolean isOwnDirectory(Path dir, int uid) {
		try {
			Map<String, Object> attributes = Files.readAttributes(dir, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
			int mode = (Integer) attributes.get("mode");
			return (mode & 0170000) == 0040000 && (mode & 0022) == 0 && (Integer) attributes.get("uid") == uid;
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * The effective user id of a process ({@code /proc/<pid>/status}), the user HotSpot
	 * names its directory after and gives its file to; empty when the process is gone.
	 */
	static OptionalInt effectiveUid(long pid) {
		try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"),
				StandardCharsets.UTF_8)) {
			// "Uid:" real, effective, saved, file system.
			return lines.filter((line) -> line.startsWith("Uid:"))
				.map((line) -> line.substring(4).trim().split("\\s+"))
				.filter((ids) -> ids.length >= 2)
				.mapToInt((ids) -> Integer.parseInt(ids[1]))
				.findFirst();
		}
		catch (IOException | UncheckedIOException | NumberFormatException ex) {
			return OptionalInt.empty();
		}
	}

	/**
	 * Opens the file and maps all of it read-only: the one place the probe opens a
	 * performance data file. It is opened without blocking and without following a link,
	 * and must be a regular file of the process's user
	 * ({@link NativeAccess#openOwnedRegularFile}), so that a FIFO swapped in after
	 * {@link #locate} looked cannot stall the supervisor's loop.
	 * @param file the file {@link #locate} found
	 * @param uid the user id the file must belong to
	 * @param os how to open it
	 * @return the mapping, and the key that tells whether the path still names this file
	 * @throws java.nio.file.NoSuchFileException when the file is gone (its JVM exited)
	 * @throws IOException when it cannot be opened or read, or is not a regular file of
	 * that user
	 * @throws HsPerfData.NotPerfDataException when it is shorter than a prologue or too
	 * long to map
	 */
	static Mapped map(Path file, int uid, NativeAccess os) throws IOException, HsPerfData.NotPerfDataException {
		try (FileChannel channel = os.openOwnedRegularFile(file, uid)) {
			Object fileKey = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
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
			Object now = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
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
