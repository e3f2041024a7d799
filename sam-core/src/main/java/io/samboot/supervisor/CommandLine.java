package io.samboot.supervisor;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The exact command line of a JVM, argument by argument, {@code argv[0]} first.
 *
 * <p>
 * The supervisor starts the active instance with its own command line, so that the
 * application runs exactly as the user started it: same options, same class path, same
 * arguments. That needs the arguments as the kernel passed them, and only Linux gives
 * them reliably:
 * <ul>
 * <li>{@code /proc/self/cmdline} holds every argument, NUL-terminated, with spaces,
 * quotes and newlines intact, whatever its length;</li>
 * <li>{@link ProcessHandle.Info#arguments()} is empty once the command line exceeds 4096
 * bytes (a long class path is enough), and {@code commandLine()} is cut;</li>
 * <li>{@code RuntimeMXBean.getInputArguments()} has only the JVM options, and the
 * {@code sun.java.command} property joins the rest with spaces, losing the quoting.</li>
 * </ul>
 * Elsewhere (macOS) {@link #current()} falls back to {@link ProcessHandle.Info} and
 * refuses to guess when it is truncated.
 *
 * <p>
 * {@code argv[0]} is replaced by the absolute path of the running {@code java}: the user
 * may have typed a bare {@code java} found on a {@code PATH} that the instance's
 * environment might not share.
 */
public final class CommandLine {

	private static final Path PROC_SELF_CMDLINE = Path.of("/proc/self/cmdline");

	/** Arguments made only of these characters need no quoting in a POSIX shell. */
	private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

	private final List<String> arguments;

	/**
	 * Creates a command line from its arguments, the executable first.
	 * @param arguments the arguments, {@code argv[0]} first; not empty, no {@code null}
	 * element
	 */
	CommandLine(List<String> arguments) {
		Objects.requireNonNull(arguments, "arguments");
		if (arguments.isEmpty()) {
			throw new IllegalArgumentException("A command line needs at least its executable (argv[0])");
		}
		this.arguments = List.copyOf(arguments);
	}

	/**
	 * The command line of this JVM, with the absolute path of its {@code java} executable
	 * first.
	 * @return this JVM's command line
	 * @throws IllegalStateException if the operating system does not give the complete
	 * command line
	 */
	public static CommandLine current() {
		if (Files.isReadable(PROC_SELF_CMDLINE)) {
			byte[] cmdline;
			try {
				cmdline = Files.readAllBytes(PROC_SELF_CMDLINE);
			}
			catch (IOException ex) {
				throw new IllegalStateException("Cannot read this JVM's command line from " + PROC_SELF_CMDLINE + " ("
						+ ex + "), so the supervisor cannot start the application with the same command", ex);
			}
			return parseProcCmdline(cmdline).withExecutable(javaExecutable(ProcessHandle.current().info()));
		}
		return fromProcessHandle(ProcessHandle.current().info());
	}

	/**
	 * Parses the content of a {@code /proc/<pid>/cmdline} file, decoded as the JVM
	 * decodes its own arguments ({@code sun.jnu.encoding}), so that
	 * {@link ProcessBuilder} encodes them back to the same bytes.
	 * @param cmdline the NUL-terminated arguments; the final NUL may be missing
	 * @return the command line, {@code argv[0]} as found
	 */
	static CommandLine parseProcCmdline(byte[] cmdline) {
		return parseProcCmdline(cmdline, nativeCharset());
	}

	static CommandLine parseProcCmdline(byte[] cmdline, Charset charset) {
		if (cmdline.length == 0) {
			throw new IllegalArgumentException("Empty command line: the process has no arguments to read");
		}
		// Every argument ends with a NUL: drop the last one only, so that a trailing
		// empty argument
		// ("a\0\0") survives.
		int end = (cmdline[cmdline.length - 1] == 0) ? cmdline.length - 1 : cmdline.length;
		List<String> arguments = new ArrayList<>();
		int start = 0;
		for (int i = 0; i <= end; i++) {
			if (i == end || cmdline[i] == 0) {
				arguments.add(new String(cmdline, start, i - start, charset));
				start = i + 1;
			}
		}
		return new CommandLine(arguments);
	}

	/**
	 * The command line from {@link ProcessHandle.Info}, the only source on systems
	 * without {@code /proc}.
	 */
	static CommandLine fromProcessHandle(ProcessHandle.Info info) {
		Optional<String[]> arguments = info.arguments().filter((args) -> args.length > 0);
		if (arguments.isEmpty()) {
			throw new IllegalStateException("Cannot read this JVM's command line: " + System.getProperty("os.name")
					+ " reports its arguments truncated or not at all "
					+ "(ProcessHandle.Info.arguments() is empty, as it is above 4096 bytes), so the supervisor "
					+ "cannot start the application with the same command. Supervision needs Linux, "
					+ "where /proc/self/cmdline gives the exact arguments.");
		}
		List<String> argv = new ArrayList<>();
		argv.add(javaExecutable(info));
		argv.addAll(List.of(arguments.get()));
		return new CommandLine(argv);
	}

	/**
	 * The arguments, {@code argv[0]} (the executable) first.
	 * @return an immutable list of the arguments
	 */
	public List<String> arguments() {
		return this.arguments;
	}

	/**
	 * The executable, {@code argv[0]}; an absolute path for {@link #current()}.
	 * @return the executable
	 */
	public String executable() {
		return this.arguments.get(0);
	}

	CommandLine withExecutable(String executable) {
		List<String> argv = new ArrayList<>(this.arguments);
		argv.set(0, executable);
		return new CommandLine(argv);
	}

	/**
	 * The command line as a POSIX shell would need it, for logs: one line, each argument
	 * quoted when it has to be, control characters escaped.
	 */
	@Override
	public String toString() {
		StringBuilder line = new StringBuilder();
		for (String argument : this.arguments) {
			if (line.length() > 0) {
				line.append(' ');
			}
			line.append(shellQuote(argument));
		}
		return line.toString();
	}

	static String shellQuote(String argument) {
		if (argument.isEmpty()) {
			return "''";
		}
		if (SHELL_SAFE.matcher(argument).matches()) {
			return argument;
		}
		if (argument.chars().noneMatch(CommandLine::isControl)) {
			return "'" + argument.replace("'", "'\\''") + "'";
		}
		// Bash's $'...' keeps a newline in an argument from splitting the log line.
		StringBuilder quoted = new StringBuilder("$'");
		for (char c : argument.toCharArray()) {
			switch (c) {
				case '\n' -> quoted.append("\\n");
				case '\t' -> quoted.append("\\t");
				case '\r' -> quoted.append("\\r");
				case '\\' -> quoted.append("\\\\");
				case '\'' -> quoted.append("\\'");
				default -> {
					if (isControl(c)) {
						quoted.append(String.format("\\x%02x", (int) c));
					}
					else {
						quoted.append(c);
					}
				}
			}
		}
		return quoted.append('\'').toString();
	}

	private static boolean isControl(int c) {
		return c < 0x20 || c == 0x7f;
	}

	private static String javaExecutable(ProcessHandle.Info info) {
		return info.command().orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

	private static Charset nativeCharset() {
		String encoding = System.getProperty("sun.jnu.encoding");
		try {
			return (encoding != null) ? Charset.forName(encoding) : Charset.defaultCharset();
		}
		catch (IllegalArgumentException ex) {
			return StandardCharsets.UTF_8;
		}
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof CommandLine that) && this.arguments.equals(that.arguments);
	}

	@Override
	public int hashCode() {
		return this.arguments.hashCode();
	}

}
