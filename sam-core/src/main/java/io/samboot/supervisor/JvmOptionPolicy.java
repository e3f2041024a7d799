package io.samboot.supervisor;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides what happens to the JVM options that the supervisor and the active instance
 * cannot share, when the instance's command line is built from the supervisor's.
 *
 * <p>
 * The instance runs the supervisor's exact command line while the supervisor is still
 * alive, so every resource an option claims by name is claimed twice: the second JVM
 * fails to bind a port ("bind failed" for a JDWP agent) or both write one file. Only JVM
 * options are inspected: those before the main class, the {@code -jar} file, the
 * {@code -m}/{@code --module} module or the source file. Arguments from there on belong
 * to the application and stay untouched, even when they look like JVM options. Everything
 * not in this table is kept, in order.
 *
 * <table>
 * <caption>Decisions, option by option</caption>
 * <tr>
 * <th>Option</th>
 * <th>In the instance</th>
 * <th>Why</th>
 * </tr>
 * <tr>
 * <td>JDWP agent ({@code -agentlib:jdwp=...}, {@code -Xrunjdwp:...},
 * {@code -agentpath:.../libjdwp...=...}), {@code server=y} or {@code server=n}</td>
 * <td>Kept as it is, no note here.</td>
 * <td>The debugger is for the application: {@link InstanceDebugger} makes sure the
 * supervisor no longer holds the port or the debugger's connection when an instance
 * starts (or, where it must keep them, gives the instance another free port), and logs
 * what the debugger must do.</td>
 * </tr>
 * <tr>
 * <td>{@code -Dcom.sun.management.jmxremote.port=N},
 * {@code -Dcom.sun.management.jmxremote.rmi.port=N}</td>
 * <td>Kept when the supervisor released its connector
 * ({@code JmxRemoteAgent.releaseIfRunning()}), no note; dropped with a note
 * otherwise.</td>
 * <td>The supervisor needs no JMX remote access once the instance runs; the instance
 * keeps the port the user chose.</td>
 * </tr>
 * <tr>
 * <td>{@code -Xlog:...} with a file output ({@code file=NAME} or a bare {@code NAME}),
 * and {@code -Xloggc:NAME}</td>
 * <td>{@code .instance} inserted before the extension ({@code gc.log} becomes
 * {@code gc.instance.log}, {@code gc} becomes {@code gc.instance}) unless NAME contains
 * {@code %p}. Note.</td>
 * <td>Two JVMs writing one file mangle it. HotSpot's own rotation ({@code filecount})
 * keeps the previous instance's file when the next one starts.</td>
 * </tr>
 * <tr>
 * <td>{@code -XX:StartFlightRecording} with {@code filename=NAME}</td>
 * <td>Same {@code .instance} rule ({@code rec.jfr} becomes {@code rec.instance.jfr}),
 * unless NAME contains {@code %p} and the JVM expands it (JDK 18 and later), or NAME is a
 * directory. Note.</td>
 * <td>Both recordings would be dumped to one file. JFR names files in a directory by PID;
 * JDK 17 writes a {@code %p} literally.</td>
 * </tr>
 * <tr>
 * <td>{@code -XX:FlightRecorderOptions}, {@code -XX:HeapDumpPath},
 * {@code -XX:ErrorFile}</td>
 * <td>Kept, no note.</td>
 * <td>JFR's repository gets a sub-directory per process; heap dumps and error files are
 * written only on failure, and named by PID by default.</td>
 * </tr>
 * <tr>
 * <td>{@code -javaagent:...}, and native agents other than JDWP ({@code -agentlib:},
 * {@code -agentpath:})</td>
 * <td>Kept. Note.</td>
 * <td>Known limitation: an agent that opens a port (an exporter, a profiler) may fail to
 * bind it in the instance while the supervisor's copy holds it.</td>
 * </tr>
 * <tr>
 * <td>{@code @argfile}, {@code -XX:VMOptionsFile=FILE}</td>
 * <td>Kept. Note.</td>
 * <td>The options inside the file are not inspected.</td>
 * </tr>
 * </table>
 *
 * <p>
 * Not seen at all: options from the {@code JDK_JAVA_OPTIONS}, {@code JAVA_TOOL_OPTIONS}
 * and {@code _JAVA_OPTIONS} environment variables, which the instance inherits, and ports
 * set in a {@code com.sun.management.config.file}. An argument file that holds the main
 * class makes the arguments after it application arguments, which this policy cannot
 * know.
 */
public final class JvmOptionPolicy {

	/**
	 * What is inserted before a file's extension so that the instance writes its own
	 * file.
	 */
	static final String INSTANCE_SUFFIX = ".instance";

	/**
	 * Options whose value is the next argument, as the {@code java} launcher parses them.
	 */
	private static final Set<String> OPTIONS_WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p",
			"--module-path", "--upgrade-module-path", "--add-modules", "--add-opens", "--add-exports", "--add-reads",
			"--patch-module", "--limit-modules", "--enable-native-access", "--source");

	/** Options whose value is the next argument and that end the JVM options. */
	private static final Set<String> LAUNCH_OPTIONS = Set.of("-jar", "-m", "--module");

	private static final String JMX_PORT = "-Dcom.sun.management.jmxremote.port=";

	private static final String JMX_RMI_PORT = "-Dcom.sun.management.jmxremote.rmi.port=";

	private static final String START_FLIGHT_RECORDING = "-XX:StartFlightRecording";

	private JvmOptionPolicy() {
	}

	/**
	 * Builds the instance's command line from the supervisor's.
	 * @param argv the supervisor's command line, the {@code java} executable first
	 * @param jmxPortsReleased whether the supervisor stopped its JMX remote connector (or
	 * had none), see {@code JmxRemoteAgent.releaseIfRunning()}
	 * @return the instance's command line and one note per option that needs explaining
	 */
	public static Result rewrite(List<String> argv, boolean jmxPortsReleased) {
		return rewrite(argv, jmxPortsReleased, Runtime.version().feature());
	}

	/**
	 * As {@link #rewrite(List, boolean)}, for a JVM of the given feature version (the
	 * instance runs the supervisor's {@code java}, so it is this JVM's in production).
	 */
	static Result rewrite(List<String> argv, boolean jmxPortsReleased, int javaFeatureVersion) {
		if (argv.isEmpty()) {
			throw new IllegalArgumentException("A command line needs at least its executable (argv[0])");
		}
		Rewriter rewriter = new Rewriter(jmxPortsReleased, javaFeatureVersion);
		rewriter.arguments.add(argv.get(0));
		boolean expandArgumentFiles = true;
		int i = 1;
		while (i < argv.size()) {
			String argument = argv.get(i);
			if (expandArgumentFiles && argument.startsWith("@")) {
				rewriter.keep(argument, "options inside argument file " + argument.substring(1)
						+ " are not inspected: a debugger, JMX, log or JFR option in it may clash with the supervisor's");
				i++;
				continue;
			}
			if (!argument.startsWith("-")) {
				break; // the main class or the source file
			}
			if (LAUNCH_OPTIONS.contains(argument)) {
				i = rewriter.copy(argv, i, 2);
				break;
			}
			if (argument.startsWith("--module=")) {
				i = rewriter.copy(argv, i, 1);
				break;
			}
			if (OPTIONS_WITH_VALUE.contains(argument)) {
				i = rewriter.copy(argv, i, 2);
				continue;
			}
			if (argument.equals("--disable-@files")) {
				expandArgumentFiles = false;
			}
			rewriter.option(argument);
			i++;
		}
		rewriter.arguments.addAll(argv.subList(i, argv.size()));
		return new Result(rewriter.arguments, rewriter.notes);
	}

	/**
	 * Where a command line's JVM options end, as {@link #rewrite} reads them: the index
	 * of the main class, the source file, or the argument after the {@code -jar} file or
	 * the module; {@code argv.size()} if there is none.
	 */
	static int endOfJvmOptions(List<String> argv) {
		boolean expandArgumentFiles = true;
		int i = 1;
		while (i < argv.size()) {
			String argument = argv.get(i);
			if (expandArgumentFiles && argument.startsWith("@")) {
				i++;
				continue;
			}
			if (!argument.startsWith("-")) {
				return i;
			}
			if (LAUNCH_OPTIONS.contains(argument)) {
				return Math.min(i + 2, argv.size());
			}
			if (argument.startsWith("--module=")) {
				return i + 1;
			}
			if (argument.equals("--disable-@files")) {
				expandArgumentFiles = false;
			}
			i += OPTIONS_WITH_VALUE.contains(argument) ? 2 : 1;
		}
		return argv.size();
	}

	/**
	 * The instance's command line and what was done to it.
	 *
	 * @param arguments the instance's command line, the {@code java} executable first
	 * @param notes one human-readable line per option that was changed, dropped or that
	 * may clash, for the supervisor to log
	 */
	public record Result(List<String> arguments, List<String> notes) {

		public Result {
			arguments = List.copyOf(arguments);
			notes = List.copyOf(notes);
		}

	}

	/** Collects one command line's decisions. */
	private static final class Rewriter {

		private final boolean jmxPortsReleased;

		private final int javaFeatureVersion;

		private final List<String> arguments = new ArrayList<>();

		private final List<String> notes = new ArrayList<>();

		private Rewriter(boolean jmxPortsReleased, int javaFeatureVersion) {
			this.jmxPortsReleased = jmxPortsReleased;
			this.javaFeatureVersion = javaFeatureVersion;
		}

		private int copy(List<String> argv, int from, int count) {
			int to = Math.min(from + count, argv.size());
			this.arguments.addAll(argv.subList(from, to));
			return to;
		}

		private void keep(String option, String note) {
			this.arguments.add(option);
			this.notes.add(note);
		}

		private void option(String option) {
			if (JdwpAgent.parse(option) != null) {
				// Kept as it is: InstanceDebugger sees to the port and says what happens.
				this.arguments.add(option);
			}
			else if (option.startsWith("-javaagent:") || option.startsWith("-agentlib:")
					|| option.startsWith("-agentpath:")) {
				keep(option, "agent " + option + " runs in the instance too: if it opens a port, its copy in the "
						+ "instance may fail to bind it while the supervisor's holds it (known limitation)");
			}
			else if (option.startsWith(JMX_PORT) || option.startsWith(JMX_RMI_PORT)) {
				jmxPort(option);
			}
			else if (option.startsWith("-Xlog:")) {
				unifiedLogging(option);
			}
			else if (option.startsWith("-Xloggc:")) {
				legacyGcLog(option);
			}
			else if (option.startsWith(START_FLIGHT_RECORDING + "=")
					|| option.startsWith(START_FLIGHT_RECORDING + ":")) {
				flightRecording(option);
			}
			else if (option.startsWith("-XX:VMOptionsFile=")) {
				keep(option, "options inside VM options file " + option.substring("-XX:VMOptionsFile=".length())
						+ " are not inspected: a debugger, JMX, log or JFR option in it may clash with the supervisor's");
			}
			else {
				this.arguments.add(option);
			}
		}

		private void jmxPort(String option) {
			String port = option.substring(option.indexOf('=') + 1);
			if (this.jmxPortsReleased || port.equals("0")) {
				this.arguments.add(option);
				return;
			}
			this.notes.add("dropped " + option + ": the supervisor could not stop its own JMX remote connector, "
					+ "which still holds port " + port + ", so the instance runs without JMX remote access");
		}

		/** {@code -Xlog[:[what][:[output][:[decorators][:output-options]]]]}. */
		private void unifiedLogging(String option) {
			List<String> parts = splitOutsideQuotes(option.substring("-Xlog:".length()), ':');
			if (parts.size() < 2) {
				this.arguments.add(option);
				return;
			}
			String output = parts.get(1);
			if (output.isEmpty() || output.equals("stdout") || output.equals("stderr")) {
				this.arguments.add(option);
				return;
			}
			String prefix = output.startsWith("file=") ? "file=" : "";
			String renamed = instanceFileName(output.substring(prefix.length()), false);
			if (renamed == null) {
				this.arguments.add(option);
				return;
			}
			parts.set(1, prefix + renamed);
			logFile(option, "-Xlog:" + String.join(":", parts), renamed);
		}

		private void legacyGcLog(String option) {
			String renamed = instanceFileName(option.substring("-Xloggc:".length()), false);
			if (renamed == null) {
				this.arguments.add(option);
				return;
			}
			logFile(option, "-Xloggc:" + renamed, renamed);
		}

		private void logFile(String option, String rewritten, String fileName) {
			this.arguments.add(rewritten);
			this.notes.add("log file: " + option + " writes to " + fileName
					+ " in the instance, so that the supervisor "
					+ "and the instance do not write one file; HotSpot's rotation keeps the previous instance's file");
		}

		/**
		 * {@code -XX:StartFlightRecording=options} or {@code :options}, comma-separated.
		 */
		private void flightRecording(String option) {
			int start = START_FLIGHT_RECORDING.length() + 1;
			List<String> settings = splitOutsideQuotes(option.substring(start), ',');
			for (int i = 0; i < settings.size(); i++) {
				String setting = settings.get(i);
				if (setting.startsWith("filename=")) {
					String renamed = instanceFileName(setting.substring("filename=".length()), true);
					if (renamed != null) {
						settings.set(i, "filename=" + renamed);
						this.arguments.add(option.substring(0, start) + String.join(",", settings));
						this.notes.add("flight recording: " + option + " dumps to " + renamed + " in the instance, "
								+ "so that it does not overwrite the supervisor's recording; the next instance overwrites it");
						return;
					}
				}
			}
			this.arguments.add(option);
		}

		/**
		 * The instance's file name, or {@code null} when the name already differs per
		 * process. Keeps surrounding double quotes.
		 */
		private String instanceFileName(String name, boolean flightRecording) {
			if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
				String renamed = instanceFileName(name.substring(1, name.length() - 1), flightRecording);
				return (renamed != null) ? "\"" + renamed + "\"" : null;
			}
			if (name.isEmpty()) {
				return null;
			}
			if (name.contains("%p") && (!flightRecording || this.javaFeatureVersion >= 18)) {
				return null;
			}
			if (flightRecording && isDirectory(name)) {
				return null;
			}
			int separator = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
			int dot = name.lastIndexOf('.');
			if (dot > separator + 1) {
				return name.substring(0, dot) + INSTANCE_SUFFIX + name.substring(dot);
			}
			return name + INSTANCE_SUFFIX;
		}

		private static boolean isDirectory(String name) {
			if (name.endsWith("/") || name.endsWith("\\")) {
				return true;
			}
			try {
				return Files.isDirectory(Path.of(name));
			}
			catch (InvalidPathException ex) {
				return false;
			}
		}

	}

	/**
	 * Splits on a delimiter outside double quotes, as HotSpot parses {@code -Xlog} and
	 * JFR options.
	 */
	static List<String> splitOutsideQuotes(String text, char delimiter) {
		List<String> parts = new ArrayList<>();
		boolean quoted = false;
		int start = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"') {
				quoted = !quoted;
			}
			else if (c == delimiter && !quoted) {
				parts.add(text.substring(start, i));
				start = i + 1;
			}
		}
		parts.add(text.substring(start));
		return parts;
	}

}
