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
 * An instance the supervisor launched after instance 1 has its parent-death signal armed
 * before its JVM starts ({@code setpriv --pdeathsig KILL}), so it makes no native call
 * and never loads JNA, and still dies with its supervisor: even stopped (SIGSTOP), when
 * nothing of its own can run and only the kernel's signal can end it.
 */
@Tag("process")
class ParentDeathProcessTests {

	private static final NativeAccess OS = NativeAccess.get();

	@Test
	void aStoppedInstanceDiesWithItsKilledSupervisorWithoutLoadingJna(@TempDir Path control) throws Exception {
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
			assertThat(output.await((out) -> out.served(1) != null, Duration.ofSeconds(60))).as(output::recent)
				.isTrue();
			OS.kill(output.served(1).pid(), PosixSignal.KILL);
			assertThat(output.await((out) -> out.served(2) != null, Duration.ofSeconds(60))).as(output::recent)
				.isTrue();
			long instance = output.served(2).pid();

			assertThat(Files.readString(Path.of("/proc", Long.toString(instance), "environ")))
				.contains("SAM_PARENT_DEATH_SIGNAL=KILL");
			assertThat(Files.readString(Path.of("/proc", Long.toString(instance), "maps")))
				.as("instance 2 loaded no JNA")
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
