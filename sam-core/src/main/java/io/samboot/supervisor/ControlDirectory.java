package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.samboot.log.SamLog;

/**
 * The supervisor's private directory for the control socket: a fresh {@code rwx------}
 * directory named {@code sam-<supervisor pid>-<random>} in a base no other user can
 * tamper with. Only this user can enter it, so only this user can connect to the socket
 * in it. {@link SupervisorReexec} also puts the lean supervisor's jars and its handover
 * file there.
 */
final class ControlDirectory {

	/** The socket's name in its private directory. */
	static final String SOCKET_NAME = "control.sock";

	private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

	private static final Pattern NAME = Pattern.compile("sam-(\\d+)-\\d+");

	private ControlDirectory() {
	}

	/** Where the control socket is in a directory made by {@link #create}. */
	static Path socketIn(Path directory) {
		return directory.resolve(SOCKET_NAME);
	}

	/** Creates the directory in the first safe one of the {@link #baseDirectories()}. */
	static Path create(SamLog log) throws IOException {
		return create(baseDirectories(), log);
	}

	/**
	 * Creates a fresh {@code rwx------} directory in the first base that no other user
	 * can tamper with: owned by this user or by root, and not writable by others unless
	 * sticky (as {@code /tmp} is). Another user who owns the base, or may write to it
	 * without the sticky bit, could rename the directory and put a socket of their own in
	 * its place, which the instance would then trust. A base that fails this is skipped,
	 * with a log line.
	 */
	static Path create(List<Path> bases, SamLog log) throws IOException {
		IOException failure = null;
		for (Path base : bases) {
			if (!Files.isDirectory(base)) {
				continue;
			}
			String problem = unsafeBase(base);
			Path directory = null;
			if (problem == null) {
				try {
					removeStale(base);
					// The supervisor's PID in the name lets a later supervisor clean up
					// after one that was SIGKILLed.
					directory = Files.createTempDirectory(base, "sam-" + ProcessHandle.current().pid() + "-",
							PosixFilePermissions.asFileAttribute(PRIVATE));
					problem = notPrivate(base, directory);
				}
				catch (IOException ex) {
					failure = ex;
					problem = "cannot create a directory in it (" + ex.getMessage() + ")";
				}
			}
			if (problem == null) {
				return directory;
			}
			if (directory != null) {
				Files.deleteIfExists(directory);
			}
			log.warn("not using " + base + " for the control socket: " + problem);
		}
		throw (failure != null) ? failure : new IOException("no safe directory for the control socket in " + bases);
	}

	/**
	 * Where the socket's directory may go, best first: {@code $XDG_RUNTIME_DIR} (private
	 * to the user) when set and short enough, the JVM's temp dir, {@code /tmp}. A socket
	 * path must stay under about 107 bytes: leave room for
	 * "/sam-NNNNNNNNNNNNNNNNNNN/control.sock".
	 */
	static List<Path> baseDirectories() {
		Set<Path> candidates = new LinkedHashSet<>();
		String runtime = System.getenv("XDG_RUNTIME_DIR");
		if (runtime != null && !runtime.isBlank() && runtime.length() < 60) {
			candidates.add(Path.of(runtime));
		}
		String tmp = System.getProperty("java.io.tmpdir", "/tmp");
		if (tmp.length() < 60) {
			candidates.add(Path.of(tmp));
		}
		candidates.add(Path.of("/tmp"));
		return List.copyOf(candidates);
	}

	/**
	 * Removes the control directories that supervisors killed with SIGKILL could not
	 * remove: this user's {@code sam-<pid>-*} directories whose supervisor no longer
	 * runs, with what a supervisor puts there: its socket, and the jars and handover file
	 * of {@link SupervisorReexec}.
	 */
	static void removeStale(Path base) {
		try (Stream<Path> entries = Files.list(base)) {
			String user = System.getProperty("user.name");
			for (Path directory : (Iterable<Path>) entries::iterator) {
				Matcher matcher = NAME.matcher(directory.getFileName().toString());
				if (!matcher.matches() || !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)
						|| !Files.getOwner(directory).getName().equals(user)
						|| ProcessHandle.of(Long.parseLong(matcher.group(1)))
							.map(ProcessHandle::isAlive)
							.orElse(false)) {
					continue;
				}
				deleteContent(directory);
				Files.delete(directory);
				SamLog.get(ControlDirectory.class)
					.info("removed " + directory + ", left by supervisor " + matcher.group(1) + " which was killed");
			}
		}
		catch (IOException | RuntimeException ex) {
			// Only housekeeping: a directory we cannot remove (not empty, not ours)
			// stays.
		}
	}

	/**
	 * Removes a directory made by {@link #create} with what SAM put in it; quietly does
	 * nothing for {@code null} or what it cannot remove (housekeeping only).
	 */
	static void removeQuietly(Path directory) {
		if (directory == null) {
			return;
		}
		try {
			remove(directory);
		}
		catch (IOException ex) {
			// Left for the next supervisor's removeStale.
		}
	}

	/**
	 * Removes a directory made by {@link #create} with what SAM put in it, if it is still
	 * there.
	 */
	static void remove(Path directory) throws IOException {
		deleteContent(directory);
		Files.deleteIfExists(directory);
	}

	/**
	 * Deletes the files SAM puts in a control directory: the socket, the handover,
	 * extracted jars.
	 */
	private static void deleteContent(Path directory) throws IOException {
		if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		try (Stream<Path> entries = Files.list(directory)) {
			for (Path entry : (Iterable<Path>) entries::iterator) {
				String name = entry.getFileName().toString();
				if (name.equals(SOCKET_NAME) || name.equals(SupervisorHandover.FILE_NAME) || name.endsWith(".jar")) {
					Files.deleteIfExists(entry);
				}
			}
		}
	}

	private static String unsafeBase(Path base) throws IOException {
		int mode;
		try {
			mode = (Integer) Files.getAttribute(base, "unix:mode");
		}
		catch (UnsupportedOperationException | IllegalArgumentException ex) {
			return null;
		}
		boolean writableByOthers = (mode & 0022) != 0;
		boolean sticky = (mode & 01000) != 0;
		if (writableByOthers && !sticky) {
			return String.format("other users may write to it (mode %04o) and it is not sticky", mode & 07777);
		}
		return null;
	}

	private static String notPrivate(Path base, Path directory) throws IOException {
		UserPrincipal me = Files.getOwner(directory);
		UserPrincipal baseOwner = Files.getOwner(base);
		if (!baseOwner.equals(me) && !"root".equals(baseOwner.getName())) {
			return "it belongs to " + baseOwner.getName() + ", not to " + me.getName() + " or root";
		}
		if (!Files.getPosixFilePermissions(directory).equals(PRIVATE)) {
			// A file system that ignores the mode asked for at creation: ask once more,
			// then give up on it.
			Files.setPosixFilePermissions(directory, PRIVATE);
			if (!Files.getPosixFilePermissions(directory).equals(PRIVATE)) {
				return "it does not keep a directory private (mode "
						+ PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)) + ")";
			}
		}
		return null;
	}

}
