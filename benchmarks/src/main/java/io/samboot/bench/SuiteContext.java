package io.samboot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.samboot.nativeaccess.NativeAccess;

/**
 * What every section of the suite works with: the command line, the JVM to start
 * processes with, where their logs go, and the report they fill.
 *
 * @param javaBin the {@code java} executable of this JVM
 * @param classPath this JVM's class path (the benchmarks jar)
 * @param sampleJar the packaged sample application
 * @param sambench the corosync comparison program, or {@code null} for no corosync column
 * @param out where the report goes
 * @param logs where every started process's output goes
 * @param quick fewer and shorter runs, not for figures
 * @param rounds rounds of the start section
 * @param os the libc calls, to signal the processes the suite started
 * @param report the report the sections fill
 * @param standbyRounds SIGKILLs of the standby section
 */
record SuiteContext(String javaBin, String classPath, Path sampleJar, Path sambench, Path out, Path logs, boolean quick,
		int rounds, NativeAccess os, Report report, int standbyRounds) {

	/** The context of a run with these arguments; creates the log directory. */
	static SuiteContext create(SuiteArguments arguments) throws IOException {
		SuiteContext context = new SuiteContext(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				System.getProperty("java.class.path"), arguments.sampleJar(), arguments.sambench(), arguments.out(),
				arguments.out().resolve("logs"), arguments.quick(), arguments.rounds(), NativeAccess.get(),
				new Report(), arguments.standbyRounds());
		Files.createDirectories(context.logs());
		return context;
	}

	/**
	 * {@code java -jar sample-app.jar --server.port=P --server.address=127.0.0.1}, with
	 * {@code -Dsam.enabled=false} when not supervised, then {@code extra}.
	 */
	List<String> sampleCommand(boolean supervise, int port, String... extra) {
		List<String> command = new ArrayList<>();
		command.add(this.javaBin);
		if (!supervise) {
			command.add("-Dsam.enabled=false");
		}
		command
			.addAll(List.of("-jar", this.sampleJar.toString(), "--server.port=" + port, "--server.address=127.0.0.1"));
		command.addAll(List.of(extra));
		return command;
	}

	/**
	 * The unsupervised sample command behind a {@link BareLauncher}: the first start of a
	 * supervisor that does nothing but re-launch.
	 */
	List<String> bareLaunchedSampleCommand(int port, String... extra) {
		List<String> command = new ArrayList<>(
				List.of(this.javaBin, "-cp", this.classPath, BareLauncher.class.getName()));
		command.addAll(sampleCommand(false, port, extra));
		return command;
	}

}
