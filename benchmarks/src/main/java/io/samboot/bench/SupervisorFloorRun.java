package io.samboot.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static io.samboot.bench.Console.say;

/**
 * Starts {@link SupervisorFloor} beside the supervisor as the supervisor itself runs:
 * with the JVM options, JNA's properties and the class path read from the running
 * supervisor's command line, the floor's two classes in a jar of their own in front, and
 * an archive of its own classes made first by a training run (a dynamic class-data
 * archive before JDK 24, an AOT cache from it on), since the supervisor keeps one of its
 * own. Without an archive the floor would hold 2-5 MB more (measured by hand on JDK 17
 * and 25) and overstate what any JVM supervisor must cost.
 */
final class SupervisorFloorRun {

	/** Long enough for the training run to go through its loop a few times. */
	private static final int TRAINING_SECONDS = 3;

	/** The lean supervisor's main class: its command line is the one to read. */
	private static final String SUPERVISOR_MAIN = "io.samboot.supervisor.SupervisorMain";

	/**
	 * Options of the supervisor's command line that concern its own archive or its
	 * logging: left out, the floor brings its own archive. (JDK 25's
	 * {@code -XX:-AOTReplayTraining}, which the supervisor adds to use its archive, is
	 * kept: the floor uses its own the same way.)
	 */
	private static final List<String> NOT_TAKEN = List.of("-XX:SharedArchiveFile", "-XX:ArchiveClassesAtExit",
			"-XX:AOTMode", "-XX:AOTCache", "-XX:AOTConfiguration", "-Xshare", "-XX:-UseSharedSpaces",
			"-XX:+UseSharedSpaces", "-XX:+AutoCreateSharedArchive", "-XX:SharedClassListFile",
			"-XX:DumpLoadedClassList", "-XX:+RecordDynamicDumpInfo", "-Xlog");

	/** Options by which the supervisor's command line shows that it uses its archive. */
	private static final List<String> ARCHIVE_IN_USE = List.of("-XX:SharedArchiveFile=", "-XX:AOTCache=");

	private final SuiteContext context;

	private final SupervisorCommand supervisor;

	private final List<String> archiveOptions;

	private final Path directory;

	private SupervisorFloorRun(SuiteContext context, SupervisorCommand supervisor, List<String> archiveOptions,
			Path directory) {
		this.context = context;
		this.supervisor = supervisor;
		this.archiveOptions = archiveOptions;
		this.directory = directory;
	}

	/**
	 * What the floor takes from the supervisor's command line.
	 *
	 * @param options its JVM options and JNA's properties, in their order
	 * @param classPath its class path
	 */
	record SupervisorCommand(List<String> options, String classPath, boolean usesArchive) {
	}

	/**
	 * Reads the command line of the supervisor whose PID is given and makes the floor's
	 * jar and archive with it.
	 */
	static SupervisorFloorRun prepare(SuiteContext context, long supervisorPid)
			throws IOException, InterruptedException {
		SupervisorCommand supervisor = supervisorCommand(ProcFs.read(supervisorPid, "cmdline"));
		if (!supervisor.usesArchive()) {
			say("  the supervisor runs without its class archive (it records one at its first start with these"
					+ " jars): its memory is a first start's, the floor's is not");
		}
		Path directory = Files.createDirectories(context.out().resolve("floor"));
		writeFloorJar(directory.resolve("floor.jar"));
		boolean aot = Runtime.version().feature() >= 24;
		Path archive = directory.resolve(aot ? "floor.aot" : "floor.jsa");
		Path configuration = directory.resolve("floor.aotconf");
		Files.deleteIfExists(archive);
		Files.deleteIfExists(configuration);
		SupervisorFloorRun training = new SupervisorFloorRun(context, supervisor, List.of(), directory);
		if (aot) {
			training.train(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + configuration), "record");
			training.train(
					List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration, "-XX:AOTCache=" + archive),
					"create");
		}
		else {
			training.train(List.of("-XX:ArchiveClassesAtExit=" + archive), "record");
		}
		if (!Files.exists(archive)) {
			throw new IllegalStateException("the floor's class archive was not made (see logs/floor-*.log)");
		}
		// Must use it: a refused archive would otherwise be one warning in a log.
		return new SupervisorFloorRun(context, supervisor, aot ? List.of("-XX:AOTMode=on", "-XX:AOTCache=" + archive)
				: List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive), directory);
	}

	/**
	 * Starts a floor that runs until it is stopped, and waits for its loop to begin.
	 * @param name the name of its log
	 * @param moreOptions JVM options after the supervisor's
	 */
	Launched start(String name, List<String> moreOptions) throws IOException, InterruptedException {
		List<String> archiveAndMore = new ArrayList<>(this.archiveOptions);
		archiveAndMore.addAll(moreOptions);
		Launched floor = Launched.start(name, command(archiveAndMore, 0), Map.of(), this.context.logs());
		if (floor.awaitLine(0, (text) -> text.equals(SupervisorFloor.ASKING), 60, TimeUnit.SECONDS) == null) {
			floor.close();
			throw new IllegalStateException("the floor did not begin its loop within 60 s (see logs/" + name + ".log)");
		}
		return floor;
	}

	/**
	 * Waits until a floor has given its free C memory back, so that the idle window
	 * measures it as it stays. The supervisor's own trim, 30 s after its instance's
	 * checks began, has come by the time the window opens: the floor starts only after
	 * the supervised sample answers and its own archive is made, and trims 20 s later.
	 */
	static void awaitTrim(Launched floor) throws InterruptedException {
		if (floor.awaitLine(0, (text) -> text.equals(SupervisorFloor.TRIMMED), 60, TimeUnit.SECONDS) == null) {
			throw new IllegalStateException("a floor did not trim within 60 s (see logs/" + floor.name() + ".log)");
		}
	}

	/**
	 * The JVM options (without {@link #NOT_TAKEN those of its archive and logging}),
	 * JNA's properties and the class path of the lean supervisor's command line.
	 * @param cmdline {@code /proc/<pid>/cmdline}, arguments separated by NUL
	 * @throws IllegalStateException if that is not the lean supervisor's command line (it
	 * has not been re-executed yet, or supervises from the JVM the user started)
	 */
	static SupervisorCommand supervisorCommand(String cmdline) {
		List<String> arguments = (cmdline != null) ? List.of(cmdline.split("\0")) : List.of();
		int classPath = arguments.indexOf("-cp");
		if (classPath < 0 || classPath + 2 >= arguments.size()
				|| !arguments.get(classPath + 2).equals(SUPERVISOR_MAIN)) {
			throw new IllegalStateException(
					"the supervisor's command line is not the lean supervisor JVM's (no -cp ... " + SUPERVISOR_MAIN
							+ "): " + String.join(" ", arguments));
		}
		List<String> options = new ArrayList<>();
		boolean usesArchive = false;
		for (String argument : arguments.subList(1, classPath)) {
			boolean taken = argument.startsWith("-X") || argument.startsWith("-Djna.")
					|| argument.startsWith("--enable-native-access");
			if (taken && NOT_TAKEN.stream().noneMatch(argument::startsWith)) {
				options.add(argument);
			}
			usesArchive |= ARCHIVE_IN_USE.stream().anyMatch(argument::startsWith);
		}
		String path = arguments.get(classPath + 1);
		if (options.stream().noneMatch((option) -> option.startsWith("-Djna.boot.library.path="))) {
			// The supervisor found JNA's library beside its jar at run time, as the floor
			// is
			// told to here; without it JNA would unpack a copy of its own.
			jnaDirectory(path).ifPresent((directory) -> options.add("-Djna.boot.library.path=" + directory));
		}
		return new SupervisorCommand(options, path, usesArchive);
	}

	/** The directory of the class path's JNA jar, when JNA's library is beside it. */
	private static Optional<Path> jnaDirectory(String classPath) {
		for (String entry : classPath.split(":")) {
			Path jar = Path.of(entry);
			Path directory = jar.getParent();
			if (jar.getFileName().toString().contains("jna") && directory != null
					&& Files.exists(directory.resolve("libjnidispatch.so"))) {
				return Optional.of(directory);
			}
		}
		return Optional.empty();
	}

	/**
	 * The floor's classes alone, so that its class path is the supervisor's and one small
	 * jar.
	 */
	private static void writeFloorJar(Path jar) throws IOException {
		try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
			for (Class<?> type : SupervisorFloor.class.getNestMembers()) {
				String entry = type.getName().replace('.', '/') + ".class";
				out.putNextEntry(new JarEntry(entry));
				try (InputStream in = SupervisorFloor.class.getClassLoader().getResourceAsStream(entry)) {
					if (in == null) {
						throw new IOException("no " + entry + " on the class path");
					}
					in.transferTo(out);
				}
				out.closeEntry();
			}
		}
	}

	private void train(List<String> archiveOptions, String step) throws IOException, InterruptedException {
		try (Launched training = Launched.start("floor-" + step, command(archiveOptions, TRAINING_SECONDS), Map.of(),
				this.context.logs())) {
			if (!training.awaitExit(120, TimeUnit.SECONDS)) {
				say("  the floor's training run (" + step + ") did not end within 120 s");
			}
		}
	}

	private List<String> command(List<String> archiveOptions, int seconds) {
		List<String> command = new ArrayList<>(List.of(this.context.javaBin()));
		command.addAll(this.supervisor.options());
		command.addAll(archiveOptions);
		command.addAll(List.of("-cp", this.directory.resolve("floor.jar") + ":" + this.supervisor.classPath(),
				SupervisorFloor.class.getName(), Integer.toString(seconds), this.directory.toString()));
		return command;
	}

}
