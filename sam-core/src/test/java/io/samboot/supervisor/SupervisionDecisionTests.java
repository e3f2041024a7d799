package io.samboot.supervisor;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

import io.samboot.protocol.Handoff;
import io.samboot.supervisor.SupervisionDecision.Role;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@link SupervisionDecision#decide}. Every decision made in this class loader is one
 * that stops before the once-per-JVM claim (each reason is checked, so a switch that
 * failed to switch off could not silently claim the JVM: the test's own stack, full of
 * JUnit frames, stops it first). The one SUPERVISOR decision is made in a class loader of
 * its own, so the claim of the JVM other tests run in stays untouched.
 */
class SupervisionDecisionTests {

	private static final long SUPERVISOR_PID = 4242;

	/** A stack no test or build tool left frames on. */
	private static final StackTraceElement[] APPLICATION_STACK = {
			new StackTraceElement("com.example.shop.ShopApplication", "main", "ShopApplication.java", 12),
			new StackTraceElement("org.springframework.boot.SpringApplication", "run", "SpringApplication.java", 300) };

	private final FakeNativeAccess os = new FakeNativeAccess();

	// ---- the instance
	// -------------------------------------------------------------------------

	@Test
	void aHandoffFromTheParentMakesAnInstance() {
		this.os.ppid = SUPERVISOR_PID;

		SupervisionDecision decision = decide(handoff(SUPERVISOR_PID), null, "worker");

		assertThat(decision.role()).isEqualTo(Role.INSTANCE);
		assertThat(decision.supervised()).isTrue();
		assertThat(decision.reason()).contains(Long.toString(SUPERVISOR_PID));
	}

	@Test
	void aHandoffWinsOverTheSwitchesBecauseOnlyTheSupervisorSetsIt() {
		this.os.ppid = SUPERVISOR_PID;
		Map<String, String> env = handoff(SUPERVISOR_PID);
		env.put("SAM_ENABLED", "false");

		SupervisionDecision decision = SupervisionDecision.decide(env, "false", "Linux", null, "main",
				Thread.currentThread().getStackTrace(), this.os::getppid);

		assertThat(decision.role()).isEqualTo(Role.INSTANCE);
	}

	@Test
	void aHandoffFromASupervisorThatIsGoneMakesAnOrphan() {
		long gone = 999_999_999L;
		assumeThat(ProcessHandle.of(gone)).as("no process %d", gone).isEmpty();
		this.os.ppid = 1;

		SupervisionDecision decision = decide(handoff(gone), null, "main");

		assertThat(decision.role()).isEqualTo(Role.ORPHAN);
		assertThat(decision.supervised()).isFalse();
		assertThat(decision.reason()).contains(Long.toString(gone)).contains("gone");
	}

	@Test
	void aHandoffInheritedFromASupervisedAncestorRunsUnsupervised() {
		Optional<Long> grandparent = ProcessHandle.current()
			.parent()
			.flatMap(ProcessHandle::parent)
			.map(ProcessHandle::pid);
		assumeThat(grandparent).as("this JVM has a grandparent process").isPresent();
		this.os.ppid = -1;

		SupervisionDecision decision = decide(handoff(grandparent.get()), null, "main");

		assertThat(decision.role()).isEqualTo(Role.UNSUPERVISED);
		assertThat(decision.reason()).contains("started by a supervised application");
	}

	@Test
	void staleHandoffVariablesAreAWarningThatSaysWhatHappenedAndHowToFixIt() {
		Optional<Long> grandparent = ProcessHandle.current()
			.parent()
			.flatMap(ProcessHandle::parent)
			.map(ProcessHandle::pid);
		assumeThat(grandparent).as("this JVM has a grandparent process").isPresent();
		this.os.ppid = 4711;

		SupervisionDecision decision = decide(handoff(grandparent.get()), null, "main");

		assertThat(decision.staleHandoff()).isTrue();
		assertThat(decision.reason()).contains("supervisor " + grandparent.get(), "not its parent (4711)", "inherited",
				"env -u SAM_SUPERVISOR_SOCKET", "-Dsam.enabled=false");
	}

	@Test
	void orphanSaysItsVariablesMayBeStale() {
		this.os.ppid = 1;

		SupervisionDecision decision = decide(handoff(999_999_999L), null, "main");

		assertThat(decision.staleHandoff()).isFalse();
		assertThat(decision.reason()).contains("stale SAM_SUPERVISOR_PID", "env -u SAM_SUPERVISOR_SOCKET");
	}

	@Test
	void aHandoffWithoutAPidRunsUnsupervised() {
		Map<String, String> env = handoff(1);
		env.put(Handoff.SUPERVISOR_PID, "not-a-pid");

		SupervisionDecision decision = decide(env, null, "main");

		assertThat(decision.role()).isEqualTo(Role.UNSUPERVISED);
		assertThat(decision.reason()).contains(Handoff.SUPERVISOR_PID);
	}

	@Test
	void anIncompleteHandoffIsNoHandoff() {
		this.os.ppid = SUPERVISOR_PID;
		Map<String, String> env = handoff(SUPERVISOR_PID);
		env.remove(Handoff.SECRET);

		SupervisionDecision decision = decide(env, null, "worker");

		assertThat(decision.role()).isEqualTo(Role.UNSUPERVISED);
		assertThat(decision.reason()).contains("main thread");
	}

	// ---- switched off and not an application start
	// ------------------------------------------------

	@ParameterizedTest
	@ValueSource(strings = { "false", "FALSE", " false ", "False", "no", "off", "0", "OFF" })
	void theSystemPropertySwitchesSupervisionOff(String value) {
		SupervisionDecision decision = decide(new HashMap<>(), value, "main");

		assertThat(decision.role()).isEqualTo(Role.UNSUPERVISED);
		assertThat(decision.reason()).contains("-Dsam.enabled=false");
	}

	@ParameterizedTest
	@ValueSource(strings = { "false", "FALSE", " false", "no", "off", "0" })
	void theEnvironmentSwitchesSupervisionOff(String value) {
		Map<String, String> env = new HashMap<>();
		env.put("SAM_ENABLED", value);

		SupervisionDecision decision = decide(env, null, "main");

		assertThat(decision.role()).isEqualTo(Role.UNSUPERVISED);
		assertThat(decision.reason()).contains("SAM_ENABLED=false");
	}

	@ParameterizedTest
	@ValueSource(strings = { "true", "", "yes", "1", "on", "maybe", "00" })
	void onlyTheWordsSpringReadsAsFalseSwitchOff(String value) {
		Map<String, String> env = new HashMap<>();
		env.put("SAM_ENABLED", value);

		SupervisionDecision decision = decide(env, value, "main");

		assertThat(decision.reason()).doesNotContain("sam.enabled").doesNotContain("SAM_ENABLED");
	}

	@ParameterizedTest
	@ValueSource(strings = { "runtime", "buildtime" })
	void aNativeImageRunsUnsupervised(String imageCode) {
		SupervisionDecision decision = SupervisionDecision.decide(new HashMap<>(), null, "Linux", imageCode, "main",
				Thread.currentThread().getStackTrace(), this.os::getppid);

		assertThat(decision.role()).isEqualTo(Role.UNSUPERVISED);
		assertThat(decision.reason()).contains("native image");
	}

	@ParameterizedTest
	@ValueSource(strings = { "Windows 11", "Windows Server 2022", "FreeBSD", "SunOS", "" })
	void anotherOperatingSystemRunsUnsupervised(String osName) {
		SupervisionDecision decision = SupervisionDecision.decide(new HashMap<>(), null, osName, null, "main",
				Thread.currentThread().getStackTrace(), this.os::getppid);

		assertThat(decision.role()).isEqualTo(Role.UNSUPERVISED);
		assertThat(decision.reason()).contains("Linux or macOS");
	}

	@ParameterizedTest
	@ValueSource(strings = { "restartedMain", "worker-1", "Main", "" })
	void aCallOffTheMainThreadRunsUnsupervised(String threadName) {
		SupervisionDecision decision = SupervisionDecision.decide(new HashMap<>(), null, "Mac OS X", null, threadName,
				Thread.currentThread().getStackTrace(), this.os::getppid);

		assertThat(decision.role()).isEqualTo(Role.UNSUPERVISED);
		assertThat(decision.reason()).contains("main thread").contains("'" + threadName + "'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "org.junit.platform.launcher.core.DefaultLauncher",
			"org.junit.jupiter.engine.execution.MethodInvocation",
			"org.springframework.boot.test.context.SpringBootContextLoader",
			"org.apache.maven.surefire.booter.ForkedBooter", "org.gradle.api.internal.tasks.testing.worker.TestWorker",
			"com.intellij.rt.junit.JUnitStarter", "org.testng.TestRunner", "io.cucumber.core.runtime.Runtime",
			"org.springframework.boot.SpringApplicationAotProcessor",
			"org.springframework.context.aot.AbstractAotProcessor", "org.springframework.boot.maven.ProcessAotMojo" })
	void testAndBuildFramesOnTheStackRunUnsupervised(String frameClass) {
		StackTraceElement[] stack = { APPLICATION_STACK[0], new StackTraceElement(frameClass, "run", "Tool.java", 1),
				APPLICATION_STACK[1] };

		SupervisionDecision decision = SupervisionDecision.decide(new HashMap<>(), null, "Linux", null, "main", stack,
				this.os::getppid);

		assertThat(decision.role()).isEqualTo(Role.UNSUPERVISED);
		assertThat(decision.reason()).contains(frameClass);
	}

	@Test
	void aCleanStackHasNoNonApplicationFrameAndThisTestsStackHasOne() {
		assertThat(SupervisionDecision.nonApplicationFrame(APPLICATION_STACK)).isEmpty();
		assertThat(SupervisionDecision.nonApplicationFrame(new StackTraceElement[0])).isEmpty();
		assertThat(SupervisionDecision.nonApplicationFrame(Thread.currentThread().getStackTrace()))
			.hasValueSatisfying(frame -> assertThat(frame).startsWith("org."));
	}

	// ---- the once-per-JVM claim, in a class loader of its own
	// ---------------------------------------

	@Test
	void aRealApplicationStartBecomesTheSupervisorOnceAndThenNeverAgain() {
		// Other builds may be recompiling target/classes right now: try again until the
		// classes are all there.
		List<String> decisions = Awaitility.await()
			.atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofSeconds(1))
			.ignoreExceptionsInstanceOf(ClassNotFoundException.class)
			.ignoreExceptionsInstanceOf(NoClassDefFoundError.class)
			.until(SupervisionDecisionTests::twoDecisionsInAFreshClassLoader, result -> true);

		assertThat(decisions).containsExactly("SUPERVISOR: application start",
				"UNSUPERVISED: this JVM already decided once (a second application in the same JVM)");
	}

	/**
	 * Two clean application starts, each "role: reason", in a class loader with its own
	 * once-per-JVM claim.
	 */
	private static List<String> twoDecisionsInAFreshClassLoader() throws Exception {
		URL classes = SupervisionDecision.class.getProtectionDomain().getCodeSource().getLocation();
		try (URLClassLoader isolated = new URLClassLoader(new URL[] { classes },
				ClassLoader.getPlatformClassLoader())) {
			Class<?> type = Class.forName(SupervisionDecision.class.getName(), true, isolated);
			assertThat(type).isNotSameAs(SupervisionDecision.class);
			Method decide = type.getDeclaredMethod("decide", Map.class, String.class, String.class, String.class,
					String.class, StackTraceElement[].class, LongSupplier.class);
			decide.setAccessible(true);
			Method role = type.getMethod("role");
			Method reason = type.getMethod("reason");
			List<String> decisions = new ArrayList<>();
			for (String osName : List.of("Linux", "Mac OS X")) {
				Object decision;
				try {
					decision = decide.invoke(null, Map.of(), null, osName, null, "main", APPLICATION_STACK, null);
				}
				catch (InvocationTargetException ex) {
					throw (ex.getCause() instanceof Exception cause) ? cause : ex;
				}
				decisions.add(((Enum<?>) role.invoke(decision)).name() + ": " + reason.invoke(decision));
			}
			return decisions;
		}
	}

	// ---- helpers
	// ------------------------------------------------------------------------------

	/**
	 * Decides on Linux with this test's own stack (JUnit frames: never the supervisor).
	 */
	private SupervisionDecision decide(Map<String, String> env, String enabledProperty, String threadName) {
		return SupervisionDecision.decide(env, enabledProperty, "Linux", null, threadName,
				Thread.currentThread().getStackTrace(), this.os::getppid);
	}

	private static Map<String, String> handoff(long supervisorPid) {
		Map<String, String> env = new HashMap<>();
		env.put(Handoff.SOCKET, "/tmp/sam/control.sock");
		env.put(Handoff.SUPERVISOR_PID, Long.toString(supervisorPid));
		env.put(Handoff.SECRET, "00ff");
		env.put(Handoff.INSTANCE_ID, "1");
		return env;
	}

}
