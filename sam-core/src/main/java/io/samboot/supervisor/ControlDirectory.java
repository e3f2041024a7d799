package io.samboot.supervisor;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.samboot.log.SamLog;
import io.samboot.nativeaccess.CurrentUser;

/**
 * The supervisor's private directory for the control socket: a fresh {@code rwx------}
 * directory named {@code sam-<supervisor pid>-<random>} in a base no other user can
 * tamper with. Only this user can enter it, so only this user can connect to the socket
 * in it. {@link SupervisorReexec} also puts the lean supervisor's jars and its handover
 * file there.
 *
 * <p>
 * The supervisor holds a lock on the file {@value #LOCK_NAME} in its directory for as
 * long as it runs, so that another supervisor's clean-up can tell a live directory from
 * the leftover of a killed one even when the two run in different PID namespaces (a
 * container sharing {@code /tmp} with the host), where the PID in the name says nothing.
 */
final class ControlDirectory {

	/** The socket's name in its private directory. */
	static final String SOCKET_NAME = "control.sock";

	/** The file whose lock marks a directory as in use ({@link #hold}). */
	static final String LOCK_NAME = "lock";

	/**
	 * How recently changed a directory may be and still be left alone although nothing
	 * holds its lock or answers on its socket: a supervisor between creating it and
	 * binding its socket (across the {@code execve} to the lean JVM, which lets go of the
	 * lock for a moment) looks just like that.
	 */
	static final Duration STARTING_GRACE = Duration.ofSeconds(60);

	/**
	 * The locks this JVM holds, one per directory, kept for the JVM's life: a POSIX lock
	 * ends when any descriptor of its file is closed by the process, so each is taken
	 * once.
	 */
	private static final Map<Path, FileLock> HELD = new ConcurrentHashMap<>();

	private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

	private static final String NAME_PREFIX = "sam-";

	private static final Pattern NAME = Pattern.compile(NAME_PREFIX + "(\\d+)-\\d+");

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
	 * can tamper with, along its whole path ({@link BasePath}): every component owned by
	 * this user or by root, none writable by others unless sticky (as {@code /tmp} is),
	 * no symbolic link of another user. Another user who owns a directory on the path, or
	 * may write to it without the sticky bit, could rename the directory and put a socket
	 * of their own in its place. A base that fails this is skipped, with one warning that
	 * names the component at fault and what to do. What killed supervisors left beside it
	 * is for {@link #removeStaleBeside(Path)}, once nothing waits for that.
	 */
	static Path create(List<Path> bases, SamLog log) throws IOException {
		OptionalLong uid = CurrentUser.uid();
		IOException failure = null;
		for (Path base : bases) {
			if (!Files.isDirectory(base)) {
				continue;
			}
			String problem = uid.isPresent() ? unsafeBase(base, uid.getAsLong()) : null;
			Path directory = null;
			if (problem == null) {
				try {
					// The supervisor's PID in the name lets a later supervisor clean up
					// after one that was SIGKILLed.
					directory = createFresh(base);
					problem = notPrivate(directory);
					if (problem == null) {
						hold(directory);
					}
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
	 * A new directory {@code sam-<pid>-<random>} in {@code base}, made {@code rwx------}
	 * (less what the umask takes away, which the caller checks): what
	 * {@link Files#createTempDirectory} does, with the random part from
	 * {@link KernelRandom}, since this runs before instance 1's launch. A name taken
	 * already (by chance, or by another user who guessed it) is drawn again.
	 */
	private static Path createFresh(Path base) throws IOException {
		String prefix = NAME_PREFIX + ProcessHandle.current().pid() + "-";
		for (int attempt = 1;; attempt++) {
			Path candidate = base.resolve(prefix + Long.toUnsignedString(KernelRandom.nextLong()));
			try {
				return Files.createDirectory(candidate, PosixFilePermissions.asFileAttribute(PRIVATE));
			}
			catch (FileAlreadyExistsException ex) {
				if (attempt == 16) {
					throw ex;
				}
			}
		}
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
	 * Removes what killed supervisors of this user left in the base of {@code directory}
	 * (made by {@link #create}); only housekeeping, which fails quietly. It lists the
	 * whole base, which in {@code /tmp} may hold thousands of entries: the JVM the user
	 * started does it after instance 1's launch, not before.
	 */
	static void removeStaleBeside(Path directory) {
		try {
			removeStale(directory.getParent(), (Integer) Files.getAttribute(directory, "unix:uid"));
		}
		catch (IOException | RuntimeException ex) {
			// Only housekeeping.
		}
	}

	/**
	 * Removes the control directories that supervisors killed with SIGKILL could not
	 * remove: this user's {@code sam-<pid>-*} directories that are {@link #isStale
	 * stale}, with what a supervisor puts there: its socket, its lock, and the jars and
	 * handover file of {@link SupervisorReexec}.
	 * @param base where to look
	 * @param uid this process's user id: only its own directories are touched
	 */
	static void removeStale(Path base, int uid) {
		// Names, not paths: java.io.File lists them in one native call, where
		// Files.list makes a Path of each entry; with the 9,000 entries of the benchmark
		// machine's /tmp, 7 ms against 29 ms in a fresh JVM, and this runs while
		// instance 1 starts.
		String[] names = base.toFile().list();
		if (names == null) {
			return;
		}
		try {
			for (String name : names) {
				if (!name.startsWith(NAME_PREFIX)) {
					continue;
				}
				Matcher matcher = NAME.matcher(name);
				Path directory = base.resolve(name);
				if (!matcher.matches() || !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)
						|| (Integer) Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS) != uid
						|| !isStale(directory, Long.parseLong(matcher.group(1)))) {
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
	 * Whether no supervisor uses the directory any more. The PID in its name is only a
	 * first hint: a PID alive here keeps it, but one that is not alive here may be alive
	 * in another PID namespace. What holds across namespaces decides: a supervisor holds
	 * its {@value #LOCK_NAME} ({@link #hold}), and its socket accepts connections (a
	 * supervisor of a SAM version without the lock). A directory changed within
	 * {@link #STARTING_GRACE} is kept too, as a supervisor still starting.
	 */
	static boolean isStale(Path directory, long pid) throws IOException {
		if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
			// Also this JVM's own directories: checking their lock from here would
			// release it (a POSIX lock ends with any close of its file by the process).
			return false;
		}
		return !isLocked(directory.resolve(LOCK_NAME)) && !answers(socketIn(directory))
				&& Files.getLastModifiedTime(directory, LinkOption.NOFOLLOW_LINKS)
					.toInstant()
					.isBefore(Instant.now().minus(STARTING_GRACE));
	}

	/**
	 * Locks the directory's {@value #LOCK_NAME} file for the rest of this JVM's life, the
	 * sign that a supervisor uses it; once per directory. Called where a directory is
	 * made, and again by the lean JVM, which the {@code execve} made let go of it.
	 */
	static void hold(Path directory) throws IOException {
		if (HELD.containsKey(directory)) {
			return;
		}
		FileChannel channel = FileChannel.open(directory.resolve(LOCK_NAME), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
		FileLock lock = channel.tryLock();
		if (lock == null) {
			channel.close();
			throw new IOException(directory + " is in use by another supervisor (its " + LOCK_NAME + " is held)");
		}
		HELD.put(directory, lock);
	}

	/** Whether another process holds the lock on this file (it is in use). */
	private static boolean isLocked(Path lockFile) throws IOException {
		try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
			FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true);
			if (lock == null) {
				return true;
			}
			lock.release();
			return false;
		}
		catch (NoSuchFileException ex) {
			return false; // a SAM version without the lock, or a supervisor still
							// starting
		}
		catch (OverlappingFileLockException ex) {
			return true; // this JVM holds it
		}
	}

	/**
	 * Whether something accepts connections on the socket. Only a refused connection or a
	 * missing socket count as no: any other failure (a full backlog, say) is taken for a
	 * live supervisor, since removing a live directory is the worse mistake.
	 */
	private static boolean answers(Path socket) {
		if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
			return false;
		}
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.configureBlocking(false);
			channel.connect(UnixDomainSocketAddress.of(socket));
			return true;
		}
		catch (ConnectException | NoSuchFileException ex) {
			return false;
		}
		catch (IOException ex) {
			return !(ex.getMessage() != null && ex.getMessage().contains("No such file"));
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
		FileLock lock = HELD.remove(directory);
		if (lock != null) {
			lock.channel().close();
		}
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
				if (name.equals(SOCKET_NAME) || name.equals(LOCK_NAME) || name.equals(SupervisorHandover.FILE_NAME)
						|| name.endsWith(".jar")) {
					Files.deleteIfExists(entry);
				}
			}
		}
	}

	/**
	 * Why another user could swap the base or a directory above it, with what to do; or
	 * {@code null}.
	 */
	private static String unsafeBase(Path base, long uid) throws IOException {
		String problem;
		try {
			problem = BasePath.problem(base, uid);
		}
		catch (UnsupportedOperationException | IllegalArgumentException ex) {
			return null; // no Unix attributes: nothing to check them with
		}
		return (problem != null) ? problem + ". Fix: give every directory on the path to root or to uid " + uid
				+ " and take write access from group and others (or make it sticky, as /tmp), or point"
				+ " XDG_RUNTIME_DIR or -Djava.io.tmpdir at a directory whose whole path is safe" : null;
	}

	private static String notPrivate(Path directory) throws IOException {
		// Who owns the base and the directories above it was checked before
		// (unsafeBase); what is left is a file system that does not keep the mode.
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
