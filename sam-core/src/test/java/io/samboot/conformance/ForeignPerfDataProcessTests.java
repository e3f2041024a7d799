package io.samboot.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.samboot.testsupport.Jdk;
import io.samboot.testsupport.OtherUser;
import io.samboot.testsupport.SupervisedApp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attack of another user on pause awareness, end to end: the instance writes no
 * performance data file of its own ({@code -XX:+PerfDisableSharedMem}), and another user
 * puts a FIFO named after its PID in their {@code /tmp/hsperfdata_<them>}. Before the fix
 * the supervisor's loop blocked opening it, and a hang went undetected; now the hang is
 * detected as without the FIFO.
 */
@Tag("process")
class ForeignPerfDataProcessTests {

	private static final Duration STEP = Duration.ofSeconds(60);

	@Test
	void hangIsDetectedDespiteAnotherUsersFifoNamedAfterTheInstance() throws Exception {
		OtherUser attacker = OtherUser.require();
		Path directory = Path.of("/tmp", "hsperfdata_" + OtherUser.NAME);
		attacker.run("mkdir", "-p", directory.toString());
		// 30 heartbeats 100 ms apart: time to put the FIFO in place before the hang.
		try (SupervisedApp app = SupervisedApp.start(Jdk.current(), SamFixture.class,
				List.of("-XX:+PerfDisableSharedMem"), "stop-sending", "30")) {
			long pid = app.instancePid(1, STEP);
			Path fifo = directory.resolve(Long.toString(pid));
			attacker.run("mkfifo", fifo.toString());
			try {
				app.awaitLine("MARK iid=1 hangs", STEP);
				app.awaitLine("health-check-timeout: no heartbeat", Duration.ofSeconds(30));
				assertThat(app.awaitExit(STEP)).as(app.toString()).isEqualTo(128 + 15);
			}
			finally {
				Files.deleteIfExists(fifo);
			}
		}
	}

}
