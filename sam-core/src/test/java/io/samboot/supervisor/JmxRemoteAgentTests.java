package io.samboot.supervisor;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

class JmxRemoteAgentTests {

	@Test
	void nothingToReleaseWithoutAJmxRemotePort() {
		assertThat(System.getProperty(JmxRemoteAgent.PORT_PROPERTY)).isNull();

		assertThat(JmxRemoteAgent.releaseIfRunning()).isTrue();
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("javaExecutablesAndOptions")
	void releasedPortCanBeBoundAgain(String java, String option) throws Exception {
		long pid = -1;
		try (JvmOptionPolicyProcessTests.Child child = startFixture(java, option)) {
			pid = child.process.pid();
			String outcome = child.awaitLine(Pattern.compile("^(bound|failed)")).group(1);

			assertThat(child.output()).contains("before: busy", "released: true").doesNotContain("Full thread dump");
			assertThat(outcome).as(child.output()).isEqualTo("bound");
			assertThat(child.awaitExit()).isZero();
		}
		finally {
			// HotSpot leaves its attach socket behind; the fixture has exited (or been
			// killed) by now
			Files.deleteIfExists(Path.of("/tmp/.java_pid" + pid));
		}
	}

	@Test
	void refusesWhenTheAttachMechanismIsDisabled() throws Exception {
		String java = JvmOptionPolicyProcessTests.javaExecutables().findFirst().orElseThrow();
		try (JvmOptionPolicyProcessTests.Child child = startFixture(java, "-XX:+DisableAttachMechanism")) {
			String outcome = child.awaitLine(Pattern.compile("^(bound|failed)")).group(1);

			assertThat(child.output())
				.contains("released: false", "Could not stop the supervisor's JMX remote connector",
						"-XX:+DisableAttachMechanism")
				.doesNotContain("Full thread dump");
			assertThat(outcome).isEqualTo("failed");
			assertThat(child.awaitExit()).isZero();
		}
	}

	/**
	 * SIGQUIT sent through JNA or through kill(1) ({@code sam.native=fallback}), and no
	 * SIGQUIT at all with {@code -Xrs}, where HotSpot starts the attach listener at
	 * start-up.
	 */
	static Stream<Arguments> javaExecutablesAndOptions() {
		return JvmOptionPolicyProcessTests.javaExecutables()
			.flatMap((java) -> Stream.of("-Dsam.native=jna", "-Dsam.native=fallback", "-Xrs")
				.map((option) -> Arguments.of(java, option)));
	}

	/**
	 * Starts the fixture on a free port, again on another if something else took the port
	 * between the look and the fixture's agent binding it (tests run in parallel here).
	 */
	private static JvmOptionPolicyProcessTests.Child startFixture(String java, String option) throws IOException {
		for (int attempt = 1;; attempt++) {
			JvmOptionPolicyProcessTests.Child child = startFixture(java, option,
					JvmOptionPolicyProcessTests.freePort());
			String first = child.awaitLine(Pattern.compile("^(before: |Error: Exception thrown by the agent)"))
				.group(1);
			if (first.startsWith("before") || !child.output().contains("Port already in use") || attempt == 5) {
				return child;
			}
			child.close();
		}
	}

	private static JvmOptionPolicyProcessTests.Child startFixture(String java, String option, int port)
			throws IOException {
		// JDK 17 accepts --enable-native-access too; newer JDKs want it for JNA's
		// SIGQUIT.
		List<String> command = new ArrayList<>(
				List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED"));
		command.addAll(List.of(option, "-D" + JmxRemoteAgent.PORT_PROPERTY + "=" + port,
				"-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false", "-cp",
				System.getProperty("java.class.path"), ReleaseFixture.class.getName()));
		return JvmOptionPolicyProcessTests.Child.start(command);
	}

	/** Started with a JMX remote port: releases it, then binds it itself. */
	static final class ReleaseFixture {

		public static void main(String[] args) {
			int port = Integer.getInteger(JmxRemoteAgent.PORT_PROPERTY);
			System.out.println("before: " + (canBind(port) ? "free" : "busy"));
			System.out.println("released: " + JmxRemoteAgent.releaseIfRunning());
			// The connector's threads let go of the port asynchronously: allow them a
			// moment on a busy machine.
			long deadline = System.nanoTime() + java.time.Duration.ofSeconds(3).toNanos();
			boolean bound = canBind(port);
			while (!bound && System.nanoTime() < deadline) {
				java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
				bound = canBind(port);
			}
			System.out.println(bound ? "bound" : "failed");
		}

		private static boolean canBind(int port) {
			try {
				new ServerSocket(port).close();
				return true;
			}
			catch (IOException ex) {
				System.out.println("cannot bind " + port + ": " + ex);
				return false;
			}
		}

	}

}
