package io.samboot.soak;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.testsupport.Jdk;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An instance has its parent-death signal armed before its JVM starts
 * ({@code setpriv --pdeathsig KILL}), so it makes no native call and never loads JNA, and
 * still dies with its supervisor: even stopped (SIGSTOP), when nothing of its own can run
 * and only the kernel's signal can end it.
 */
@Tag("process")
class ParentDeathProcessTests {

	private static final NativeAccess OS = NativeAccess.get();

	@Test
	void aStoppedInstanceDiesWithItsKilledSupervisorWithoutLoadingJna(@TempDir Path control) throws Exception {
		diesWithItsKilledSupervisorWithoutLoadingJna(2, control);
	}

	/**
	 * Instance 1 is launched by the JVM the user started, from the thread that then calls
	 * {@code execve}: the one thread that outlives it, so the signal (sent when the
	 * thread that launched the instance ends) does not fire as the lean supervisor JVM
	 * takes this JVM's place.
	 */
	@Test
	void instanceOneOutlivesTheReexecAndDiesWithItsKilledSupervisorWithoutLoadingJna(@TempDir Path control)
			throws Exception {
		diesWithItsKilledSupervisorWithoutLoadingJna(1, control);
	}

	private void diesWithItsKilledSupervisorWithoutLoadingJna(int instanceId, Path control) throws Exception {
		assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"), "Linux only");
		assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) || Files.isExecutable(Path.of("/bin/setpriv")),
				"util-linux's setpriv is not installed here");
		Jdk jdk = Jdk.current();
		List<String> command = new ArrayList<>(List.of(jdk.java()));
		command.addAll(jdk.quietOptions());
		command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
				System.getProperty("java.class.path"), SoakInstance.class.getName(), control.toString(), "1000"));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().keySet().removeIf((name) -> name.startsWith("SAM_"));
		Process supervisor = builder.start();
		try {
			LaneOutput output = new LaneOutput(supervisor.getInputStream());
			for (int id = 1; id < instanceId; id++) {
				int served = id;
				assertThat(output.await((out) -> out.served(served) != null, Duration.ofSeconds(60))).as(output::recent)
					.isTrue();
				OS.kill(output.served(served).pid(), PosixSignal.KILL);
			}
			assertThat(output.await((out) -> out.served(instanceId) != null, Duration.ofSeconds(60))).as(output::recent)
				.isTrue();
			long instance = output.served(instanceId).pid();
			// Served means registered with the lean JVM: the exec is behind it.
			assertThat(ProcessHandle.of(instance).map(ProcessHandle::isAlive)).as("instance %d is alive", instanceId)
				.contains(true);
			assertThat(ProcessHandle.of(instance).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
				.contains(supervisor.pid());

			assertThat(Files.readString(Path.of("/proc", Long.toString(instance), "environ")))
				.contains("SAM_PARENT_DEATH_SIGNAL=KILL");
			assertThat(Files.readString(Path.of("/proc", Long.toString(instance), "maps")))
				.as("instance %d loaded no JNA", instanceId)
				.doesNotContain("jnidispatch");
			OS.kill(instance, PosixSignal.STOP);
			OS.kill(supervisor.pid(), PosixSignal.KILL);

			assertThat(CoreSoak.awaitGone(instance, Duration.ofSeconds(2)))
				.as("the stopped instance %d died with its supervisor", instance)
				.isTrue();
		}
		finally {
			supervisor.descendants().forEach(ProcessHandle::destroyForcibly);
			supervisor.destroyForcibly();
		}
	}

}
