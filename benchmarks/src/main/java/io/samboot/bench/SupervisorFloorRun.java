package io.samboot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.samboot.bench.Console.say;

/**
 * Starts {@link SupervisorFloor} beside the supervisor: with the JVM options read from
 * the running supervisor's command line, and with an archive of its own classes made
 * first by a training run (a dynamic class-data archive before JDK 24, an AOT cache from
 * it on), since the supervisor keeps one of its own. Without an archive the floor would
 * hold 2-5 MB more (measured by hand on JDK 17 and 25) and overstate what any JVM
 * supervisor must cost.
 */
final class SupervisorFloorRun {

	/** Long enough for the training run to go through its loop a few times. */
	private static final String TRAINING_SECONDS = "3";

	/**
	 * Options of the supervisor's command line that concern its own archive, its logging
	 * or its properties: left out, the floor brings its own archive.
	 */
	private static final List<String> NOT_TAKEN = List.of("-XX:SharedArchiveFile", "-XX:ArchiveClassesAtExit",
			"-XX:AOT", "-Xshare", "-Xlog");

	private final SuiteContext context;

	private final List<String> options;

	private final List<String> archiveOptions;

	private final Path directory;

	private SupervisorFloorRun(SuiteContext context, List<String> options, List<String> archiveOptions,
			Path directory) {
		this.context = context;
		this.options = options;
		this.archiveOptions = archiveOptions;
		this.directory = directory;
	}

	/**
	 * Reads the JVM options of the supervisor whose PID is given and makes the floor's
	 * archive with them.
	 */
	static SupervisorFloorRun prepare(SuiteContext context, long supervisorPid)
			throws IOException, InterruptedException {
		List<String> options = jvmOptions(ProcFs.read(supervisorPid, "cmdline"));
		Path directory = Files.createDirectories(context.out().resolve("floor"));
		boolean aot = Runtime.version().feature() >= 24;
		Path archive = directory.resolve(aot ? "floor.aot" : "floor.jsa");
		Files.deleteIfExists(archive);
		if (aot) {
			Path configuration = directory.resolve("floor.aotconf");
			train(context, options, List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + configuration), "record",
					directory);
			train(context, options,
					List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration, "-XX:AOTCache=" + archive),
					"create", directory);
		}
		else {
			train(context, options, List.of("-XX:ArchiveClassesAtExit=" + archive), "record", directory);
		}
		List<String> use = Files.exists(archive)
				? List.of(aot ? "-XX:AOTCache=" + archive : "-XX:SharedArchiveFile=" + archive) : List.of();
		if (use.isEmpty()) {
			say("  the floor's class archive was not made; the floor runs without one (see logs/floor-*.log)");
		}
		return new SupervisorFloorRun(context, options, use, directory);
	}

	/**
	 * Starts a floor that runs until it is stopped.
	 * @param name the name of its log
	 * @param moreOptions JVM options after the supervisor's
	 */
	Launched start(String name, List<String> moreOptions) throws IOException {
		List<String> options = new ArrayList<>(this.options);
		options.addAll(moreOptions);
		return Launched.start(name, command(this.context, options, this.archiveOptions, "0", this.directory), Map.of(),
				this.context.logs());
	}

	/**
	 * The supervisor's JVM options: its command line from the first option to the class
	 * path, without those that {@link #NOT_TAKEN concern its archive, logging or
	 * properties}.
	 * @param cmdline {@code /proc/<pid>/cmdline}, arguments separated by NUL
	 */
	static List<String> jvmOptions(String cmdline) {
		if (cmdline == null) {
			throw new IllegalStateException("the supervisor's command line could not be read");
		}
		List<String> options = new ArrayList<>();
		String[] arguments = cmdline.split("\0");
		for (int i = 1; i < arguments.length && !arguments[i].equals("-cp"); i++) {
			String argument = arguments[i];
			if (argument.startsWith("-X") && NOT_TAKEN.stream().noneMatch(argument::startsWith)) {
				options.add(argument);
			}
		}
		return options;
	}

	private static void train(SuiteContext context, List<String> options, List<String> archiveOptions, String step,
			Path directory) throws IOException, InterruptedException {
		try (Launched training = Launched.start("floor-" + step,
				command(context, options, archiveOptions, TRAINING_SECONDS, directory), Map.of(), context.logs())) {
			if (!training.awaitExit(120, TimeUnit.SECONDS)) {
				say("  the floor's training run (" + step + ") did not end within 120 s");
			}
		}
	}

	private static List<String> command(SuiteContext context, List<String> options, List<String> archiveOptions,
			String seconds, Path directory) {
		List<String> command = new ArrayList<>(List.of(context.javaBin()));
		command.addAll(options);
		command.addAll(archiveOptions);
		command.addAll(
				List.of("-cp", context.classPath(), SupervisorFloor.class.getName(), seconds, directory.toString()));
		return command;
	}

}
