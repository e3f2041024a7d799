package io.samboot.supervisor;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the supervisor does about the instance's JDWP agent: when instance 1 may start,
 * the port beside a supervisor that keeps its own, the log lines and the waived limits.
 */
class InstanceDebuggerTests {

	private static final String JAVA = "/opt/jdk/bin/java";

	private static final String ATTACH = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=*:5005";

	private static final String LISTEN = "-agentlib:jdwp=transport=dt_socket,server=n,address=localhost:5006";

	private final CapturedLog captured = new CapturedLog();

	@Test
	void withoutAnAgentNothingChanges() {
		InstanceDebugger debugger = InstanceDebugger.of(List.of(JAVA, "-Xmx64m", "Main", ATTACH), false);

		assertThat(debugger.present()).isFalse();
		assertThat(debugger.launchAfterReexec()).isFalse();
		assertThat(debugger.waivesLimits(instance(), this.captured.log)).isFalse();
		assertThat(this.captured.lines()).isEmpty();
	}

	@Test
	void anAgentAfterTheMainClassIsTheApplicationsArgument() {
		assertThat(InstanceDebugger.of(List.of(JAVA, "-jar", "app.jar", LISTEN), false).present()).isFalse();
		assertThat(InstanceDebugger.of(List.of(JAVA, "-cp", "a.jar", LISTEN, "Main"), false).present()).isTrue();
	}

	@Test
	void attachModeWithAFixedPortWaitsForTheLeanJvm() {
		assertThat(InstanceDebugger.of(List.of(JAVA, ATTACH, "Main"), false).launchAfterReexec()).isTrue();
	}

	@Test
	void attachModeOnAPortTheJvmPicksNeedNotWait() {
		List<String> command = List.of(JAVA, "-agentlib:jdwp=transport=dt_socket,server=y,address=127.0.0.1:0", "Main");

		assertThat(InstanceDebugger.of(command, false).launchAfterReexec()).isFalse();
		assertThat(InstanceDebugger.of(command, false).startNote(true)).contains("at a port its JVM picks");
	}

	@Test
	void listenModeWaitsForTheLeanJvmWhoseConnectionEndsAtExecve() {
		assertThat(InstanceDebugger.of(List.of(JAVA, LISTEN, "Main"), false).launchAfterReexec()).isTrue();
	}

	@Test
	void attachModeNoteNamesTheAddressEveryInstanceListensAt() {
		String note = InstanceDebugger.of(List.of(JAVA, ATTACH, "Main"), false).startNote(true);

		assertThat(note)
			.contains("listens for the debugger at *:5005", "this supervisor JVM runs no agent",
					"attach again after each restart")
			.doesNotContain("stays with the supervisor", "suspend=y");
	}

	@Test
	void listenModeNoteSaysWhatTheDebuggerMustDo() {
		String note = InstanceDebugger.of(List.of(JAVA, LISTEN, "Main"), false).startNote(true);

		assertThat(note).contains("connects to the debugger listening at localhost:5006", "Auto restart",
				"Socket Listen", "transport error 202");
	}

	@Test
	void besideASupervisorThatKeepsThePortTheInstanceGetsAFreeOneAndTheLogSaysWhich() {
		String holder = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:5005";
		List<String> command = List.of(JAVA, "-Xmx64m", holder, "Main", "arg");

		List<String> beside = InstanceDebugger.of(command, false).besideThisJvm(command, this.captured.log);

		assertThat(beside).hasSize(5).startsWith(JAVA, "-Xmx64m").endsWith("Main", "arg");
		JdwpAgent moved = JdwpAgent.parse(beside.get(2));
		assertThat(moved.host()).isEqualTo("127.0.0.1");
		// Free when it was picked; binding it here again would race the build's other
		// JVMs for it (a clean-clone build lost that race once).
		assertThat(moved.port()).isBetween(1024, 65535).isNotEqualTo(5005);
		assertThat(this.captured.lines()).singleElement()
			.asString()
			.startsWith("INFO debugger: this JVM supervises and keeps listening at 127.0.0.1:5005")
			.contains("every instance listens at 127.0.0.1:" + moved.port() + " instead");
	}

	@Test
	void besideThisJvmListenModeAndPickedPortsStayAsTheyAre() {
		List<String> listen = List.of(JAVA, LISTEN, "Main");
		List<String> picked = List.of(JAVA, "-agentlib:jdwp=transport=dt_socket,server=y,address=0", "Main");

		assertThat(InstanceDebugger.of(listen, false).besideThisJvm(listen, this.captured.log)).isEqualTo(listen);
		assertThat(InstanceDebugger.of(picked, false).besideThisJvm(picked, this.captured.log)).isEqualTo(picked);
		assertThat(this.captured.lines()).isEmpty();
	}

	@Test
	void limitsAreWaivedWithOneLinePerInstance() {
		InstanceDebugger debugger = InstanceDebugger.of(List.of(JAVA, ATTACH, "Main"), false);

		assertThat(debugger.waivesLimits(instance(), this.captured.log)).isTrue();

		assertThat(this.captured.lines()).singleElement()
			.asString()
			.startsWith("INFO instance 1 (pid 4242) runs a JDWP agent")
			.contains("time-interval and startup-timeout are not enforced", "-Dsam.debug.enforce-limits=true");
	}

	@Test
	void theSwitchKeepsTheLimitsAndTheNoteSaysSo() {
		InstanceDebugger debugger = InstanceDebugger.of(List.of(JAVA, ATTACH, "Main"), true);

		assertThat(debugger.waivesLimits(instance(), this.captured.log)).isFalse();
		assertThat(this.captured.lines()).isEmpty();
		assertThat(debugger.startNote(true)).contains("health-check limits stay enforced");
	}

	@Test
	void anInstanceThatCouldNotReachTheDebuggerIsExplained() {
		InstanceDebugger.of(List.of(JAVA, LISTEN, "Main"), false)
			.endedBeforeRegistering(instance(), 2, this.captured.log);

		assertThat(this.captured.lines()).singleElement()
			.asString()
			.startsWith("WARN instance 1 (pid 4242) ended with status 2 before it registered")
			.contains("localhost:5006", "transport error 202", "keep the debugger listening");
	}

	@Test
	void anEarlyEndInAttachModeIsNotBlamedOnTheDebugger() {
		InstanceDebugger.of(List.of(JAVA, ATTACH, "Main"), false)
			.endedBeforeRegistering(instance(), 1, this.captured.log);

		assertThat(this.captured.lines()).isEmpty();
	}

	@Test
	void agentAddressesInEverySpelling() {
		assertThat(JdwpAgent.parse("-agentlib:jdwp=transport=dt_socket,server=y,address=5005"))
			.satisfies((agent) -> assertThat(agent.host()).isNull())
			.satisfies((agent) -> assertThat(agent.port()).isEqualTo(5005))
			.satisfies((agent) -> assertThat(agent.addressWithPort(7)).isEqualTo("7"));
		assertThat(JdwpAgent.parse("-Xrunjdwp:transport=dt_socket,server=y,address=[::1]:8000"))
			.satisfies((agent) -> assertThat(agent.host()).isEqualTo("::1"))
			.satisfies((agent) -> assertThat(agent.addressWithPort(7)).isEqualTo("[::1]:7"))
			.satisfies((agent) -> assertThat(agent.withAddress("[::1]:7"))
				.isEqualTo("-Xrunjdwp:transport=dt_socket,server=y,address=[::1]:7"));
		assertThat(JdwpAgent.parse("-agentpath:/opt/jdk/lib/libjdwp.so=server=y,address=*:8000").host()).isEqualTo("*");
		assertThat(JdwpAgent.parse("-agentlib:jdwp=transport=dt_shmem,server=y,address=shm").port()).isZero();
		assertThat(JdwpAgent.parse("-agentpath:/opt/libasyncProfiler.so=start")).isNull();
	}

	private static SupervisedInstance instance() {
		return new SupervisedInstance(1, 4242, Instant.EPOCH, 0);
	}

}
