package io.samboot.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Tries the options the user gave the lean supervisor JVM
 * ({@code -Dsam.supervisor.jvm-options}) with {@code java <options> -version} before
 * {@link SupervisorReexec} replaces this JVM: once {@code execve} has run, a JVM that
 * refuses its options ({@code -Xmx1k}, a misspelt {@code -XX} flag) ends the process with
 * its exit status, and nothing is left to supervise from instead. Only options the user
 * set are tried: the defaults are SAM's own and tested, and the trial costs a JVM start
 * (about 0.2 s, 0.06 s of CPU), which runs while instance 1 is launched and the jars are
 * copied.
 *
 * <p>
 * What it cannot catch: options {@code -version} accepts but the supervisor's work does
 * not (a heap too small for the data store); the lean JVM then fails as it would have.
 */
final class LeanJvmTrial {

	/** A JVM that has not answered {@code -version} by then will not supervise. */
	static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final int MAX_MESSAGE = 400;

	private final Process process;

	private final List<String> options;

	private final Path output;

	private LeanJvmTrial(Process process, List<String> options, Path output) {
		this.process = process;
		this.options = options;
		this.output = output;
	}

	/**
	 * Starts {@code java <options> -version}, its output (standard error, where the JVM
	 * writes both its version and its complaints) into a file in {@code directory}: a
	 * pipe nobody reads would block an option that prints much.
	 * @param environment the lean JVM's environment
	 */
	static LeanJvmTrial start(String java, List<String> options, Map<String, String> environment, Path directory)
			throws IOException {
		List<String> command = new ArrayList<>();
		command.add(java);
		command.addAll(options);
		command.add("-version");
		Path output = directory.resolve("jvm-options-trial.txt");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
		// The lean JVM's environment: without JAVA_TOOL_OPTIONS and its kind.
		builder.environment().clear();
		builder.environment().putAll(environment);
		Process process = builder.start();
		return new LeanJvmTrial(process, options, output);
	}

	/**
	 * Waits for the trial.
	 * @throws IOException naming the option and saying what the JVM said, if it did not
	 * start with these options
	 */
	void awaitUsable() throws IOException {
		try {
			if (!this.process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor();
				throw unusable("java " + String.join(" ", this.options) + " -version did not finish within "
						+ DurationText.of(TIMEOUT));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
			throw new IOException("interrupted while trying -D" + SupervisorReexec.OPTIONS_PROPERTY, ex);
		}
		try {
			int status = this.process.exitValue();
			if (status != 0) {
				throw unusable("java with them exited with status " + status + ": " + said());
			}
		}
		finally {
			Files.deleteIfExists(this.output);
		}
	}

	private IOException unusable(String why) {
		return new IOException("the lean supervisor JVM cannot start with -D" + SupervisorReexec.OPTIONS_PROPERTY
				+ "=\"" + String.join(" ", this.options) + "\" (" + why + "); fix or remove that option");
	}

	/** The JVM's own message, on one line. */
	private String said() throws IOException {
		String text = String.join("; ",
				Files.readString(this.output, StandardCharsets.UTF_8).strip().split("\\s*\\R\\s*"));
		return (text.length() > MAX_MESSAGE) ? text.substring(0, MAX_MESSAGE) + "..." : text;
	}

}
