package io.samboot.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.testsupport.Jdk;
import io.samboot.testsupport.SupervisedApp;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Processes an instance leaves behind, ignoring SIGTERM ({@link DescendantsFixture}), end
 * with it, however it ends: killed, hung and killed, restarted gracefully, and when the
 * supervisor stops; none piles up, none is left under PID 1. A running standby's stay.
 * The test signals only the processes its fixture started, by PID.
 */
@Tag("process")
class DescendantsProcessTests {

	private static final Duration STEP = Duration.ofSeconds(60);

	private static final Pattern MARK = Pattern
		.compile("MARK iid=(\\d+) pid=(\\d+) standby=(\\w+) child=(\\d+) orphan=(\\d+)(?: early=(\\d+))?");

	private final NativeAccess os = NativeAccess.get();

	/**
	 * Every process the fixture said it left, to kill after the test whatever happened.
	 */
	private final List<Long> left = new ArrayList<>();

	@BeforeEach
	void linuxWithJna() {
		assumeTrue(Files.isReadable(Path.of("/proc/self/stat")) && this.os.isNative(), "needs Linux /proc and JNA");
	}

	@AfterEach
	void killWhatIsLeft() {
		for (long pid : this.left) {
			String command = commandLine(pid);
			if (SupervisedApp.alive(pid) && (command.contains("sleep") || command.startsWith("sh"))) {
				this.os.kill(pid, PosixSignal.KILL);
			}
		}
	}

	@Test
	void whatAKilledInstanceLeftEndsWithItAndWhatTheLastLeftEndsWithTheSupervisor() throws Exception {
		try (SupervisedApp app = start("heartbeat")) {
			Instance first = instance(app, 1);
			// Made before the lean supervisor JVM ran: it came to the supervisor anyway.
			awaitParent(first.early(), app.supervisorPid());
			this.os.kill(first.pid(), PosixSignal.KILL);
			Instance second = instance(app, 2);
			awaitGone(app, first.child(), first.orphan(), first.early());
			assertThat(app.find(line -> line.contains("instance 1 left"))).as(app.toString()).isPresent();
			assertThat(SupervisedApp.alive(second.child()) && SupervisedApp.alive(second.orphan())).as(app.toString())
				.isTrue();

			this.os.kill(app.supervisorPid(), PosixSignal.TERM);
			assertThat(app.awaitExit(STEP)).as(app.toString()).isEqualTo(143);
			awaitGone(app, second.child(), second.orphan());
		}
	}

	@Test
	void whatAHungInstanceLeftEndsWithItsKill() throws Exception {
		try (SupervisedApp app = start("hang")) {
			Instance first = instance(app, 1);
			instance(app, 2);
			assertThat(app.find(line -> line.contains("sending SIGKILL") || line.contains("sent SIGKILL")))
				.as(app.toString())
				.isPresent();
			awaitGone(app, first.child(), first.orphan(), first.early());
		}
	}

	@Test
	void whatAnInstanceRestartedGracefullyLeftEndsWithIt() throws Exception {
		try (SupervisedApp app = start("heartbeat")) {
			Instance first = instance(app, 1);
			this.os.kill(app.supervisorPid(), PosixSignal.HUP);
			instance(app, 2);
			awaitGone(app, first.child(), first.orphan(), first.early());
		}
	}

	@Test
	void theStandbysProcessesAreTheStandbys() throws Exception {
		try (SupervisedApp app = start("standby")) {
			Instance first = instance(app, 1);
			Instance standby = instance(app, 2);
			assertThat(standby.standby()).isTrue();
			app.awaitLine("the standby (pid " + standby.pid() + ") is ready", STEP);
			this.os.kill(first.pid(), PosixSignal.KILL);
			app.awaitLine("promoted the standby (pid " + standby.pid() + ")", STEP);
			awaitGone(app, first.child(), first.orphan(), first.early());
			assertThat(SupervisedApp.alive(standby.child()) && SupervisedApp.alive(standby.orphan())).as(app.toString())
				.isTrue();
		}
	}

	private SupervisedApp start(String mode) throws IOException {
		return SupervisedApp.start(Jdk.current(), DescendantsFixture.class, List.of(), mode);
	}

	private Instance instance(SupervisedApp app, int iid) {
		Matcher matcher = MARK.matcher(app.awaitLine("MARK iid=" + iid + " ", STEP));
		assertThat(matcher.find()).isTrue();
		Instance instance = new Instance(Long.parseLong(matcher.group(2)), Boolean.parseBoolean(matcher.group(3)),
				Long.parseLong(matcher.group(4)), Long.parseLong(matcher.group(5)),
				(matcher.group(6) != null) ? Long.parseLong(matcher.group(6)) : -1);
		app.instancePid(iid, STEP);
		this.left.addAll(List.of(instance.child(), instance.orphan(), instance.early()));
		return instance;
	}

	private static void awaitParent(long pid, long parent) {
		Awaitility.await("process " + pid + " re-parented to " + parent)
			.atMost(STEP)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> ProcessHandle.of(pid)
				.flatMap(ProcessHandle::parent)
				.map(ProcessHandle::pid)
				.orElse(-1L)
				.equals(parent));
	}

	private static void awaitGone(SupervisedApp app, long... pids) {
		for (long pid : pids) {
			if (pid > 0) {
				Awaitility.await("process " + pid + " gone; supervisor output:\n" + app)
					.atMost(STEP)
					.pollInterval(Duration.ofMillis(20))
					.until(() -> !SupervisedApp.alive(pid));
			}
		}
	}

	private static String commandLine(long pid) {
		try {
			return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
					StandardCharsets.UTF_8)
				.replace('\0', ' ');
		}
		catch (IOException ex) {
			return "";
		}
	}

	private record Instance(long pid, boolean standby, long child, long orphan, long early) {
	}

}
