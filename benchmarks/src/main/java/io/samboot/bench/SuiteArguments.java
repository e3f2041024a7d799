package io.samboot.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The suite's command line.
 *
 * @param sampleJar the packaged sample application
 * @param sambench the corosync comparison program, or {@code null} for no corosync column
 * @param out where the report and the processes' logs go
 * @param quick fewer and shorter runs, not for figures
 * @param rounds rounds of the start section (1 when quick, 10 otherwise, unless given)
 * @param only the sections to run
 * @param standbyRounds SIGKILLs of the standby section (3 when quick, 20 otherwise,
 * unless given)
 */
record SuiteArguments(Path sampleJar, Path sambench, Path out, boolean quick, int rounds, Set<String> only,
		int standbyRounds) {

	/** Every section, in the order the suite runs them. */
	static final List<String> SECTIONS = List.of("micro", "detection", "start", "idle", "throughput", "standby");

	/**
	 * Reads {@code --sample-jar}, {@code --sambench}, {@code --out}, {@code --quick},
	 * {@code --rounds}, {@code --standby-rounds} and {@code --only}.
	 * @param args the command line
	 * @return the arguments, with defaults for what is not given
	 * @throws UnknownArgumentException at the first argument that is none of those
	 */
	static SuiteArguments parse(String[] args) throws UnknownArgumentException {
		Path sampleJar = Path.of("sample-app/target/sample-app-0.1.0-SNAPSHOT.jar");
		Path sambench = null;
		Path out = Path.of("benchmarks/target/results");
		boolean quick = false;
		int rounds = -1;
		int standbyRounds = -1;
		Set<String> only = new HashSet<>(SECTIONS);
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--sample-jar" -> sampleJar = Path.of(args[++i]);
				case "--sambench" -> sambench = Path.of(args[++i]);
				case "--out" -> out = Path.of(args[++i]);
				case "--quick" -> quick = true;
				case "--rounds" -> rounds = Integer.parseInt(args[++i]);
				case "--standby-rounds" -> standbyRounds = Integer.parseInt(args[++i]);
				case "--only" -> only = new HashSet<>(Arrays.asList(args[++i].split(",")));
				default -> throw new UnknownArgumentException(args[i]);
			}
		}
		if (rounds < 0) {
			rounds = quick ? 1 : 10;
		}
		if (standbyRounds < 0) {
			standbyRounds = quick ? 3 : 20;
		}
		return new SuiteArguments(sampleJar, sambench, out, quick, rounds, only, standbyRounds);
	}

	/** The same arguments without the corosync column. */
	SuiteArguments withoutSambench() {
		return new SuiteArguments(this.sampleJar, null, this.out, this.quick, this.rounds, this.only,
				this.standbyRounds);
	}

	/** An argument the suite does not know. */
	static final class UnknownArgumentException extends Exception {

		private final String argument;

		UnknownArgumentException(String argument) {
			super("unknown argument " + argument);
			this.argument = argument;
		}

		String argument() {
			return this.argument;
		}

	}

}
