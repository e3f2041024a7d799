package io.samboot.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.sun.jna.NativeLibrary;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real corosync 3 daemon for a test: a one-node cluster on 127.0.0.1 whose
 * {@code corosync.conf}, state directory and log live in a directory of the test's,
 * started as {@code setsid corosync -f -c <absolute conf>} with standard input from
 * {@code /dev/null} (so it survives the starting job and {@code corosync-cfgtool -R}
 * finds its configuration), and stopped by its PID with SIGTERM. A daemon that had to be
 * SIGKILLed leaves libqb's {@code /dev/shm/qb-*} files; those carrying its PID are
 * removed.
 *
 * <p>
 * corosync's client sockets are abstract Unix sockets of the network namespace and its
 * PID file is fixed, so one daemon per namespace: classes that use this hold the JUnit
 * resource lock {@value #LOCK} and the {@link MachineLock} extension (across JVMs), and
 * {@link #assumeUsable()} skips when another corosync already answers here.
 */
public final class CorosyncNode implements AutoCloseable {

	/**
	 * The JUnit {@code @ResourceLock} of every test class that starts a daemon in this
	 * namespace.
	 */
	public static final String LOCK = "corosync-daemon";

	public static final Path COROSYNC = Path.of("/usr/sbin/corosync");

	public static final String INSTALL = "apt-get install -y corosync libquorum5 libcmap4 libvotequorum8";

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

	private final Path directory;

	private final Path config;

	private final Process process;

	private boolean stopped;

	private CorosyncNode(Path directory, Path config, Process process) {
		this.directory = directory;
		this.config = config;
		this.process = process;
	}

	/**
	 * Skips the test, saying why, unless corosync is installed, this runs as root, and no
	 * other corosync runs here.
	 */
	public static void assumeUsable() {
		Optional<String> reason = unusableReason();
		assumeTrue(reason.isEmpty(), reason.orElse(""));
	}

	/**
	 * Why a daemon of this class's cannot be started here, or empty when it can: corosync
	 * is installed, this runs as root, the client libraries load, and no other corosync
	 * answers in this namespace. For callers outside JUnit (the soak), which report the
	 * reason instead of skipping.
	 */
	public static Optional<String> unusableReason() {
		if (!Files.isExecutable(COROSYNC)) {
			return Optional.of("corosync is not installed: " + INSTALL);
		}
		if (!isRoot()) {
			return Optional.of("starting corosync needs root (it runs as root and serves only root by default)");
		}
		if (!CorosyncLibrariesProbe.loadable()) {
			return Optional.of("corosync's client libraries are missing: " + INSTALL);
		}
		if (run(Duration.ofSeconds(5), "corosync-quorumtool", "-s").exitCode() != 1) {
			return Optional
				.of("another corosync already answers in this network namespace; a private one cannot start");
		}
		return Optional.empty();
	}

	public static boolean isRoot() {
		try {
			return Files.readAllLines(Path.of("/proc/self/status"))
				.stream()
				.anyMatch(line -> Pattern.matches("Uid:\\s+0\\s.*", line));
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Starts a one-node cluster in {@code directory}.
	 * @param expectedVotes the quorum section's {@code expected_votes}: 1 is quorate at
	 * once, 2 keeps the node inquorate until {@code corosync-quorumtool -e 1}
	 */
	public static CorosyncNode start(Path directory, int expectedVotes) {
		try {
			Path dir = directory.toAbsolutePath();
			Path config = new CorosyncConfig("samtest", "udpu", expectedVotes, List.of("127.0.0.1")).writeTo(dir);
			return start(dir, config);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Starts corosync with an existing configuration; waits until its clients can
	 * connect.
	 */
	public static CorosyncNode start(Path directory, Path config) throws IOException {
		Process process = startDaemon(directory, List.of(COROSYNC.toString(), "-f", "-c", config.toString()));
		CorosyncNode node = new CorosyncNode(directory, config, process);
		try {
			awaitAnswer("corosync -c " + config, process, READY_TIMEOUT,
					() -> run(Duration.ofSeconds(5), "corosync-quorumtool", "-s"), node::log);
		}
		catch (IllegalStateException ex) {
			node.close();
			throw ex;
		}
		return node;
	}

	/**
	 * Starts a corosync daemon's command in its own session, in {@code directory}, with
	 * its output appended to {@code corosync.log} there.
	 */
	static Process startDaemon(Path directory, List<String> command) throws IOException {
		List<String> inSession = new ArrayList<>();
		inSession.add("setsid");
		inSession.addAll(command);
		return new ProcessBuilder(inSession).directory(directory.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("corosync.log").toFile()))
			.start();
	}

	/**
	 * Waits until {@code corosync-quorumtool -s} (as {@code quorumTool} runs it) gets an
	 * answer from the daemon: any status but 1, which means it could not connect.
	 * @throws IllegalStateException if the daemon exits or does not answer in time, with
	 * its log
	 */
	static void awaitAnswer(String daemon, Process process, Duration timeout, Supplier<CommandResult> quorumTool,
			Supplier<String> log) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() - deadline < 0) {
			if (!process.isAlive()) {
				throw new IllegalStateException(
						daemon + " exited with status " + process.exitValue() + ":\n" + log.get());
			}
			if (quorumTool.get().exitCode() != 1) {
				return;
			}
			sleep(20);
		}
		throw new IllegalStateException(
				daemon + " did not answer corosync-quorumtool -s within " + timeout.toSeconds() + "s:\n" + log.get());
	}

	public long pid() {
		return this.process.pid();
	}

	public Path directory() {
		return this.directory;
	}

	public String log() {
		try {
			Path file = this.directory.resolve("corosync.log");
			return Files.exists(file) ? Files.readString(file) : "";
		}
		catch (IOException ex) {
			return "(log unreadable: " + ex + ")";
		}
	}

	/** {@code corosync-quorumtool -s}: 0 quorate, 2 not quorate, 1 cannot connect. */
	public boolean quorate() {
		return run(Duration.ofSeconds(5), "corosync-quorumtool", "-s").exitCode() == 0;
	}

	/** Stops the daemon with SIGTERM (SIGKILL after 10 s) and waits for it. */
	public void stop() {
		if (this.stopped) {
			return;
		}
		this.stopped = true;
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
		removeShmOf(pid());
	}

	@Override
	public void close() {
		stop();
	}

	/**
	 * Removes the {@code /dev/shm/qb-*} files of a daemon that is gone (a SIGKILLed one
	 * leaves them).
	 */
	public static void removeShmOf(long pid) {
		Pattern mine = Pattern.compile("qb-.*-" + pid + "-.*");
		try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of("/dev/shm"), "qb-*")) {
			for (Path file : files) {
				if (mine.matcher(file.getFileName().toString()).matches()) {
					Files.deleteIfExists(file);
				}
			}
		}
		catch (IOException ex) {
			// Best effort: a leftover file only costs memory until the next reboot.
		}
	}

	/**
	 * Runs a command (corosync's tools), with a time limit; never throws for a non-zero
	 * status.
	 */
	public static CommandResult run(Duration timeout, String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			process.getOutputStream().close();
			byte[] output = process.getInputStream().readAllBytes();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				return new CommandResult(List.of(command), -1, new String(output, StandardCharsets.UTF_8));
			}
			return new CommandResult(List.of(command), process.exitValue(), new String(output, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			return new CommandResult(List.of(command), 127, ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new CommandResult(List.of(command), -1, "interrupted");
		}
	}

	public static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** A finished command. */
	public record CommandResult(List<String> command, int exitCode, String output) {

		public List<String> lines() {
			return new ArrayList<>(output.lines().toList());
		}

		@Override
		public String toString() {
			return String.join(" ", this.command) + " -> " + this.exitCode + "\n" + this.output;
		}
	}

	/**
	 * Holds a lock file for a whole test class, so that test JVMs running at the same
	 * time on this machine (two builds of the project) take turns with their daemons
	 * instead of meeting each other's. Within one JVM,
	 * {@code @ResourceLock(CorosyncNode.LOCK)} does the same.
	 */
	public static final class MachineLock implements BeforeAllCallback, AfterAllCallback {

		private static final Path FILE = Path.of(System.getProperty("java.io.tmpdir"), "sam-corosync-tests.lock");

		private static final Duration WAIT = Duration.ofMinutes(5);

		/**
		 * The lock among this JVM's threads: a semaphore, since the thread that closes a
		 * {@link Held} need not be the one that took it.
		 */
		private static final Semaphore IN_THIS_JVM = new Semaphore(1);

		private Held held;

		/**
		 * The lock file every user of a private corosync daemon on this machine takes.
		 */
		public static Path file() {
			return FILE;
		}

		@Override
		public void beforeAll(ExtensionContext context) throws Exception {
			this.held = hold(WAIT).orElse(null);
			assumeTrue(this.held != null,
					"another test JVM has used corosync here for " + WAIT.toMinutes() + " minutes (" + FILE + ")");
		}

		@Override
		public void afterAll(ExtensionContext context) throws Exception {
			if (this.held != null) {
				this.held.close();
			}
		}

		/**
		 * Takes the lock outside JUnit (the soak), waiting at most {@code wait}.
		 * @return the held lock, to close when the daemon is stopped; empty when another
		 * JVM kept it
		 */
		public static Optional<Held> hold(Duration wait) throws IOException, InterruptedException {
			long deadline = System.nanoTime() + wait.toNanos();
			// A file lock belongs to the whole JVM: a second taker in this JVM (a soak's
			// other lane) would get OverlappingFileLockException, not a wait. So threads
			// of this JVM take turns here first.
			if (!IN_THIS_JVM.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
				return Optional.empty();
			}
			FileChannel channel = null;
			try {
				channel = FileChannel.open(FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
				FileLock lock;
				// A lock file held by another process gives no event to wait on: poll it.
				while ((lock = channel.tryLock()) == null && System.nanoTime() - deadline < 0) {
					Thread.sleep(100);
				}
				if (lock != null) {
					return Optional.of(new Held(channel, lock));
				}
			}
			catch (IOException | RuntimeException | InterruptedException ex) {
				release(channel);
				throw ex;
			}
			release(channel);
			return Optional.empty();
		}

		private static void release(FileChannel channel) throws IOException {
			try {
				if (channel != null) {
					channel.close();
				}
			}
			finally {
				IN_THIS_JVM.release();
			}
		}

		/** The machine lock, held until closed. */
		public record Held(FileChannel channel, FileLock lock) implements AutoCloseable {

			@Override
			public void close() throws IOException {
				try {
					this.lock.release();
				}
				finally {
					release(this.channel);
				}
			}
		}

	}

	/** Whether the client libraries load (without creating anything). */
	public static final class CorosyncLibrariesProbe {

		private CorosyncLibrariesProbe() {
		}

		public static boolean loadable() {
			try {
				// The names sam-corosync loads by default.
				NativeLibrary.getInstance("libquorum.so.5");
				NativeLibrary.getInstance("libcmap.so.4");
				return true;
			}
			catch (UnsatisfiedLinkError ex) {
				return false;
			}
		}

	}

}
