package io.samboot.supervisor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.samboot.testsupport.Jdk;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real JVMs: where the supervisor stays in the JVM the user started, whose JDWP agent
 * keeps its port, the instance's agent listens at the free port the supervisor gave it.
 */
@Tag("process")
class JvmOptionPolicyProcessTests {

	private static final Pattern LISTENING = Pattern.compile("Listening for transport dt_socket at address: (\\d+)");

	private static final Duration DEADLINE = Duration.ofSeconds(60);

	@ParameterizedTest(name = "{0}")
	@MethodSource("javaExecutables")
	void instanceDebuggerListensOnAnotherPortNextToTheSupervisors(String java) throws Exception {
		int port = freePort();
		List<String> supervisorArgv = List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
				"-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + port, "-cp",
				System.getProperty("java.class.path"), PortHolder.class.getName());

		try (Child supervisor = Child.start(supervisorArgv)) {
			assertThat(supervisor.awaitLine(LISTENING).group(1)).isEqualTo(String.valueOf(port));
			supervisor.awaitLine(Pattern.compile("ready"));

			// The same command line cannot start while the supervisor holds the port.
			try (Child clash = Child.start(supervisorArgv)) {
				assertThat(clash.awaitExit()).isNotZero();
				assertThat(clash.output()).contains("bind failed");
			}

			JvmOptionPolicy.Result result = JvmOptionPolicy.rewrite(supervisorArgv, true);
			assertThat(result.arguments()).isEqualTo(supervisorArgv);
			CapturedLog captured = new CapturedLog();
			List<String> beside = InstanceDebugger.of(result.arguments(), false)
				.besideThisJvm(result.arguments(), captured.log);
			try (Child instance = Child.start(beside)) {
				int instancePort = Integer.parseInt(instance.awaitLine(LISTENING).group(1));
				instance.awaitLine(Pattern.compile("ready"));
				assertThat(instancePort).isPositive().isNotEqualTo(port);
				// The log names the address the instance really listens at.
				assertThat(captured.lines()).singleElement()
					.asString()
					.contains("every instance listens at 127.0.0.1:" + instancePort);
				assertThat(instance.process.isAlive()).isTrue();
			}
		}
	}

	static Stream<String> javaExecutables() {
		String current = ProcessHandle.current()
			.info()
			.command()
			.orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
		Optional<String> jdk25 = Jdk.newest().map((home) -> home.resolve("bin").resolve("java").toString());
		return Stream.concat(Stream.of(current), jdk25.stream());
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** A child JVM whose output (stdout and stderr) is collected line by line. */
	static final class Child implements AutoCloseable {

		final Process process;

		private final List<String> lines = new CopyOnWriteArrayList<>();

		private final Thread reader;

		private Child(Process process) {
			this.process = process;
			this.reader = new Thread(this::read, "child-output-" + process.pid());
			this.reader.setDaemon(true);
			this.reader.start();
		}

		static Child start(List<String> command) throws IOException {
			return new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
		}

		private void read() {
			try (BufferedReader reader = new BufferedReader(
					new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = reader.readLine(); line != null; line = reader.readLine()) {
					this.lines.add(line);
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/**
		 * Waits for a line matching the pattern, failing early if the child exits without
		 * it.
		 */
		Matcher awaitLine(Pattern pattern) {
			await().atMost(DEADLINE).until(() -> find(pattern).isPresent() || !this.process.isAlive());
			Optional<Matcher> found = find(pattern);
			if (found.isEmpty()) {
				// the child exited: give the reader the rest of its output
				await().atMost(DEADLINE).until(() -> find(pattern).isPresent() || readerDone());
				found = find(pattern);
			}
			assertThat(found)
				.as("a line matching '%s' in the output of %s:%n%s", pattern, this.process.info().commandLine(),
						output())
				.isPresent();
			return found.get();
		}

		int awaitExit() {
			await().atMost(DEADLINE).until(() -> !this.process.isAlive());
			await().atMost(DEADLINE).until(this::readerDone);
			return this.process.exitValue();
		}

		String output() {
			return String.join("\n", this.lines);
		}

		private boolean readerDone() {
			return !this.reader.isAlive();
		}

		private Optional<Matcher> find(Pattern pattern) {
			for (String line : new ArrayList<>(this.lines)) {
				Matcher matcher = pattern.matcher(line);
				if (matcher.find()) {
					return Optional.of(matcher);
				}
			}
			return Optional.empty();
		}

		@Override
		public void close() {
			this.process.destroyForcibly();
			try {
				this.process.waitFor();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

	/**
	 * Holds whatever its command line claims (here a JDWP port) until its stdin closes.
	 */
	static final class PortHolder {

		public static void main(String[] args) throws IOException {
			System.out.println("ready");
			System.out.flush();
			while (System.in.read() != -1) {
				// wait for the test to close stdin or kill us
			}
		}

	}

}
