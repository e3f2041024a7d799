package io.samboot.supervisor;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

import io.samboot.JvmSwitch;
import io.samboot.log.SamLog;
import io.samboot.nativeaccess.CurrentUser;
import io.samboot.nativeaccess.NativeAccess;

/**
 * The lean supervisor JVM's class-data archive: the classes it loads (SAM's, JNA's and
 * the JDK's beyond the default archive, about 700), parsed and linked once and mapped
 * from a file at every later start, so that the supervisor loads and verifies almost
 * nothing at run time. On JDK 24 and later it is an AOT cache ({@code -XX:AOTCache}),
 * which holds the classes linked (and from JDK 25 the methods' profiles, which the lean
 * JVM does not replay); before, a dynamic CDS archive ({@code -XX:SharedArchiveFile}).
 *
 * <p>
 * An archive names the class path it was made for, down to each jar's size and time, so
 * the jars are kept where they do not change: a directory of the user's cache
 * ({@code $XDG_CACHE_HOME/sam-boot}, or {@code ~/.cache/sam-boot}) named after a digest
 * of the jars' bytes, the {@code java} and the JVM options. A new version of the
 * application's jars, another JDK or other options give another directory, so an archive
 * is never used for classes it was not made from. Directories of this cache not used for
 * 30 days are removed.
 *
 * <p>
 * The archive is made from the first supervisor that runs without one, when it exits
 * normally: it then holds exactly the classes a supervisor's life needed. Before JDK 24
 * that supervisor writes the archive itself ({@code -XX:ArchiveClassesAtExit}, a slower
 * exit once); from JDK 24 it records what it loaded ({@code -XX:AOTMode=record}, a line
 * on standard output from the JVM at exit) and the next start assembles the cache
 * ({@code -XX:AOTMode=create}, about half a second of CPU, while instance 1 already
 * starts). What was written goes under a name of its own ({@code *.part}); the next start
 * tries it with a JVM that must use it ({@code -Xshare:on}, {@code -XX:AOTMode=on}) and
 * only then renames it into place, so a half-written archive is never used.
 *
 * <p>
 * Since a planted archive would be code run by the supervisor, the cache directory's
 * whole path is checked as the control directory's base is ({@link BasePath}); where it
 * is not safe, missing, or not writable, the lean JVM runs without an archive, as it
 * always could. Off with {@code -Dsam.supervisor.archive=false}. Class directories (an
 * IDE, a build's own tests) cannot be archived: only jars.
 */
final class LeanJvmArchive {

	/** Directories of the cache not used for this long are removed. */
	private static final long UNUSED_DAYS = 30;

	private static final SamLog log = SamLog.get(LeanJvmArchive.class);

	/** Options by which the user chooses class-data sharing for the lean JVM. */
	private static final List<String> SHARING_OPTIONS = List.of("-Xshare:", "-XX:-UseSharedSpaces",
			"-XX:+UseSharedSpaces", "-XX:SharedArchiveFile", "-XX:ArchiveClassesAtExit", "-XX:+AutoCreateSharedArchive",
			"-XX:SharedClassListFile", "-XX:DumpLoadedClassList", "-XX:+RecordDynamicDumpInfo", "-XX:AOT");

	/** The JDK from which an AOT cache replaces the dynamic CDS archive (JEP 483). */
	private static final int AOT_CACHE_FEATURE = 24;

	/** The JDK from which an AOT cache holds methods' profiles (JEP 515). */
	private static final int AOT_TRAINING_FEATURE = 25;

	/**
	 * Keeps a JVM started from an AOT cache from replaying the profiles it holds: a
	 * diagnostic option, so unlocked first, whatever options the user chose. Replaying
	 * starts a thread ({@code Training replay}) that the JVM wakes at each class it
	 * initialises. The supervisor's first crash initialises the classes of its crash path
	 * on the loop's thread, and each of them handed the CPU to that thread and back: 27
	 * switches in a scheduler trace of the sample application's first crash on JDK 25
	 * (too little to show in the crash figures, 128 crashes side by side). The profiles
	 * are there for the C2 compiler, which the lean options leave out: the thread has
	 * nothing to do in the lean JVM.
	 */
	private static final List<String> NO_TRAINING_REPLAY = List.of("-XX:+UnlockDiagnosticVMOptions",
			"-XX:-AOTReplayTraining");

	private final List<Path> classPath;

	private final List<String> options;

	private LeanJvmArchive(List<Path> classPath, List<String> options) {
		this.classPath = classPath;
		this.options = options;
	}

	/** The lean JVM's class path: the cached copies of its jars, or as it was. */
	List<Path> classPath() {
		return this.classPath;
	}

	/**
	 * What the lean JVM's command line gets for its archive: to use it, or to make it.
	 */
	List<String> options() {
		return this.options;
	}

	/**
	 * The archive for a lean JVM with this {@code java}, these options and the class path
	 * of these sources; without one when the cache cannot be used, and then with the
	 * class path as it is, nested jars copied into {@code directory} (once the cache
	 * holds them, they are read, never copied twice).
	 * @param directory the supervisor's private directory
	 * @param environment this process's environment, for the cache's location
	 * @throws IOException if the class path cannot be made without the cache either
	 */
	static LeanJvmArchive prepare(String java, int feature, List<String> jvmOptions,
			List<SupervisorClassPath.Source> sources, Path directory, Map<String, String> environment)
			throws IOException {
		if (!SupervisionDecision.isFalse(JvmSwitch.SUPERVISOR_ARCHIVE.value().orElse(null))
				&& sources.stream().allMatch(SupervisorClassPath.Source::isJar) && !sharingChosen(jvmOptions)) {
			try {
				Path root = root(environment);
				if (root != null) {
					Path cached = root.resolve("lean-" + digest(java, feature, jvmOptions, sources));
					List<Path> jars = cachedJars(cached, sources);
					keepLibraryFilesBeside(jars);
					touch(cached);
					noteForTheLauncher(root, sources, jars);
					removeUnused(root, cached);
					return new LeanJvmArchive(jars, archiveOptions(java, feature, jvmOptions, jars, cached));
				}
			}
			catch (IOException | RuntimeException ex) {
				log.debug("the lean supervisor JVM runs without a class-data archive: " + ex);
			}
		}
		return new LeanJvmArchive(SupervisorClassPath.materialize(sources, directory), List.of());
	}

	/**
	 * Whether the lean JVM's options already say how it shares class data
	 * ({@code -Xshare:off}, an archive of the user's own, ...): then they decide, and no
	 * archive options are added, which could contradict them (with {@code -Xshare:off}
	 * the JVM refuses to record an archive and does not start at all).
	 */
	static boolean sharingChosen(List<String> jvmOptions) {
		return jvmOptions.stream()
			.anyMatch((option) -> SHARING_OPTIONS.stream().anyMatch((prefix) -> option.startsWith(prefix)));
	}

	/**
	 * The cache directory, created if needed; {@code null} when it is not safe to use.
	 */
	private static Path root(Map<String, String> environment) throws IOException {
		String cache = environment.get("XDG_CACHE_HOME");
		Path base;
		if (cache != null && !cache.isBlank() && Path.of(cache).isAbsolute()) {
			base = Path.of(cache);
		}
		else {
			String home = System.getProperty("user.home");
			if (home == null || home.isBlank() || home.equals("?")) {
				return null;
			}
			base = Path.of(home, ".cache");
		}
		Path root = base.resolve("sam-boot");
		if (!Files.isDirectory(root)) {
			Files.createDirectories(base);
			try {
				Files.createDirectory(root,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
			}
			catch (FileAlreadyExistsException ex) {
				// Another supervisor made it first.
			}
		}
		OptionalLong uid = CurrentUser.uid();
		String problem = uid.isPresent() ? BasePath.problem(root, uid.getAsLong()) : "this user's id is unknown";
		if (problem != null) {
			log.debug("the lean supervisor JVM runs without a class-data archive, since " + problem);
			return null;
		}
		return root;
	}

	/**
	 * A digest of everything an archive depends on: which {@code java}, its version, the
	 * options, and the jars' bytes (read out of an executable jar when nested in it,
	 * where neither a path nor a time of their own exists), by their sizes, CRC-32 and
	 * CRC-32C.
	 *
	 * <p>
	 * A name for the cache, not a defence: what keeps a planted archive out is the
	 * cache's ownership ({@link BasePath}), and whoever can change the application's jars
	 * runs their own code anyway. Both checksums are computed by the JVM's intrinsics
	 * from the first call, about 5 ms for SAM's and JNA's 2.4 MB where SHA-256, run
	 * before the JIT compiler has compiled it, took about 55 ms of this start, while
	 * instance 1 starts beside it.
	 */
	static String digest(String java, int feature, List<String> jvmOptions, List<SupervisorClassPath.Source> sources)
			throws IOException {
		CRC32 crc = new CRC32();
		CRC32C crcC = new CRC32C();
		String vm = java + "\n" + feature + "\n" + System.getProperty("java.vm.version") + "\n"
				+ String.join("\n", jvmOptions);
		StringBuilder described = new StringBuilder(vm);
		byte[] buffer = new byte[64 * 1024];
		for (SupervisorClassPath.Source jar : sources) {
			long size = 0;
			try (InputStream in = jar.open()) {
				for (int read; (read = in.read(buffer)) > 0;) {
					crc.update(buffer, 0, read);
					crcC.update(buffer, 0, read);
					size += read;
				}
			}
			described.append('\n').append(jar.fileName()).append('\t').append(size);
		}
		byte[] text = described.toString().getBytes(StandardCharsets.UTF_8);
		crc.update(text);
		crcC.update(text);
		// Eight hexadecimal digits each (not String.format: its first use costs a start
		// more than the checksums).
		return Long.toHexString(crc.getValue() | 0x1_0000_0000L).substring(1)
				+ Long.toHexString(crcC.getValue() | 0x1_0000_0000L).substring(1);
	}

	/**
	 * The jars in the cache directory, copied there (read-only, as one directory renamed
	 * into place) by the first start that needs them.
	 */
	private static List<Path> cachedJars(Path directory, List<SupervisorClassPath.Source> sources) throws IOException {
		if (!Files.isDirectory(directory)) {
			Path staging = Files.createTempDirectory(directory.getParent(), ".staging-");
			try {
				for (int i = 0; i < sources.size(); i++) {
					Path copy = staging.resolve(jarName(i, sources.get(i)));
					try (InputStream in = sources.get(i).open()) {
						Files.copy(in, copy);
					}
					copy.toFile().setReadOnly();
				}
				Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (FileAlreadyExistsException | AtomicMoveNotSupportedException ex) {
				// Another supervisor put the same jars there first.
			}
			finally {
				deleteTree(staging);
			}
		}
		List<Path> jars = new ArrayList<>();
		for (int i = 0; i < sources.size(); i++) {
			Path jar = directory.resolve(jarName(i, sources.get(i)));
			if (!Files.isRegularFile(jar)) {
				throw new IOException(jar + " is missing from the cache");
			}
			jars.add(jar);
		}
		return jars;
	}

	/**
	 * What JNA would unpack at every start, beside its jar; without it JNA unpacks it as
	 * before, so a failure costs only that.
	 */
	private static void keepLibraryFilesBeside(List<Path> jars) {
		try {
			NativeAccess.keepLibraryFilesBeside(jars);
		}
		catch (IOException | RuntimeException ex) {
			log.debug("JNA's native library is not kept in the cache: " + ex);
		}
	}

	/**
	 * Numbered, so that two jars of one name (from two places) stay apart and in order.
	 */
	private static String jarName(int index, SupervisorClassPath.Source jar) {
		return index + "-" + jar.fileName();
	}

	private static List<String> archiveOptions(String java, int feature, List<String> jvmOptions, List<Path> jars,
			Path directory) throws IOException {
		boolean aot = feature >= AOT_CACHE_FEATURE;
		Path archive = directory.resolve(aot ? "supervisor.aot" : "supervisor.jsa");
		// Tried with the archive before it is put into place, so that a JVM that no
		// longer knows the option gets no archive rather than no supervisor.
		List<String> replay = (feature >= AOT_TRAINING_FEATURE) ? NO_TRAINING_REPLAY : List.of();
		if (!Files.isRegularFile(archive)) {
			promoteMadeArchive(new Trial(java, aot, jvmOptions, jars, replay), directory, archive);
		}
		if (Files.isRegularFile(archive)) {
			List<String> options = new ArrayList<>();
			options.add(aot ? "-XX:AOTCache=" + archive : "-XX:SharedArchiveFile=" + archive);
			options.addAll(replay);
			// A stale archive is only a slower start: no warning on the user's console.
			options.addAll(aot ? List.of("-Xlog:aot=off", "-Xlog:cds=off")
					: List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
			return options;
		}
		long pid = ProcessHandle.current().pid();
		// The AOT cache is made in two steps: what this JVM loads is recorded at its exit
		// (the JVM prints one line saying so), the cache assembled at the next start.
		return aot
				? List.of("-XX:AOTMode=record",
						"-XX:AOTConfiguration=" + directory.resolve("supervisor.aotconf." + pid + ".part"),
						"-Xlog:aot=off", "-Xlog:cds=off")
				: List.of("-XX:ArchiveClassesAtExit=" + directory.resolve("supervisor.jsa." + pid + ".part"),
						"-Xlog:cds=off", "-Xlog:cds+dynamic=off");
	}

	/**
	 * Puts an archive a previous supervisor made at its exit into place (on JDK 24 and
	 * later, once assembled from what it recorded), once a JVM that must use it started
	 * with it; removes what fails.
	 */
	private static void promoteMadeArchive(Trial trial, Path directory, Path archive) throws IOException {
		List<Path> parts;
		try (Stream<Path> files = Files.list(directory)) {
			parts = files.filter((file) -> file.getFileName().toString().endsWith(".part")).toList();
		}
		for (Path part : parts) {
			if (writerAlive(part)) {
				continue;
			}
			Path made = part;
			if (trial.aot()) {
				made = directory.resolve("supervisor.aot." + ProcessHandle.current().pid() + ".made");
				if (!trial.run(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + part, "-XX:AOTCache=" + made))) {
					Files.deleteIfExists(made);
					Files.deleteIfExists(part);
					continue;
				}
			}
			List<String> use = new ArrayList<>(trial.aot() ? List.of("-XX:AOTMode=on", "-XX:AOTCache=" + made)
					: List.of("-Xshare:on", "-XX:SharedArchiveFile=" + made));
			use.addAll(trial.useOptions());
			use.add("-version");
			boolean usable = trial.run(use);
			if (usable) {
				Files.move(made, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
				Files.deleteIfExists(part);
				log.debug("the lean supervisor JVM starts from its class-data archive " + archive);
				return;
			}
			Files.deleteIfExists(made);
			Files.deleteIfExists(part);
		}
	}

	/** Whether the supervisor named in {@code supervisor.*.<pid>.part} still runs. */
	private static boolean writerAlive(Path part) {
		String[] pieces = part.getFileName().toString().split("\\.");
		try {
			long pid = Long.parseLong(pieces[pieces.length - 2]);
			return pid != ProcessHandle.current().pid()
					&& ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
		}
		catch (NumberFormatException | ArrayIndexOutOfBoundsException ex) {
			return false;
		}
	}

	/**
	 * A JVM with the lean JVM's options and class path, and some more options;
	 * {@code useOptions} go beside the archive wherever it is used.
	 */
	private record Trial(String java, boolean aot, List<String> jvmOptions, List<Path> jars, List<String> useOptions) {

		/** Whether it ends with status 0; what it prints is dropped. */
		boolean run(List<String> more) {
			List<String> command = new ArrayList<>(List.of(this.java));
			command.addAll(this.jvmOptions);
			// A refused archive ends a JVM that must use it: no crash report for it.
			command.addAll(List.of("-XX:ErrorFile=/dev/null", "-XX:-CreateCoredumpOnCrash", "-cp",
					String.join(File.pathSeparator, this.jars.stream().map(Path::toString).toList())));
			command.addAll(more);
			try {
				Process trial = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.DISCARD)
					.start();
				if (!trial.waitFor(LeanJvmTrial.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
					trial.destroyForcibly();
					return false;
				}
				return trial.exitValue() == 0;
			}
			catch (IOException ex) {
				return false;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}

	}

	/**
	 * Tells the early launcher where the copies are ({@link LauncherShortcut}); without
	 * the note it reads the nested jars, so a failure is only a slower start.
	 */
	private static void noteForTheLauncher(Path root, List<SupervisorClassPath.Source> sources, List<Path> jars) {
		try {
			LauncherShortcut.record(root, sources, jars);
		}
		catch (IOException | RuntimeException ex) {
			log.debug("the early launcher goes on reading SAM out of the executable jar: " + ex);
		}
	}

	private static void touch(Path directory) throws IOException {
		Files.setLastModifiedTime(directory, FileTime.fromMillis(System.currentTimeMillis()));
	}

	/**
	 * Removes directories of the cache not used for {@link #UNUSED_DAYS}, and the early
	 * launcher's notes it has not used for as long (it touches a note it uses).
	 */
	private static void removeUnused(Path root, Path current) throws IOException {
		long limit = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(UNUSED_DAYS);
		try (Stream<Path> entries = Files.list(root)) {
			for (Path entry : entries.toList()) {
				String name = entry.getFileName().toString();
				if (!entry.equals(current)
						&& (name.startsWith("lean-") || name.startsWith(".staging-")
								|| name.startsWith(LauncherShortcut.PREFIX))
						&& Files.getLastModifiedTime(entry).toMillis() < limit) {
					deleteTree(entry);
				}
			}
		}
	}

	private static void deleteTree(Path tree) {
		if (!Files.exists(tree)) {
			return;
		}
		try (Stream<Path> files = Files.walk(tree)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// Left for the next clean-up.
		}
	}

}
