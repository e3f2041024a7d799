package io.samboot.conformance;

import java.time.Duration;
import java.util.List;

import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.testsupport.Jdk;
import io.samboot.testsupport.SupervisedApp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replacement SIGKILLed while it starts (from outside, or by the OOM killer) is a
 * failure to recover from, not a configuration error: the supervisor launches another.
 */
@Tag("process")
class KilledReplacementProcessTests {

	private static final Duration STEP = Duration.ofSeconds(60);

	@Test
	void aReplacementKilledDuringItsStartUpIsReplacedInTurn() throws Exception {
		try (SupervisedApp app = SupervisedApp.start(Jdk.current(), SamFixture.class, List.of(), "heartbeat", "5000")) {
			String first = app.awaitLine("MARK iid=1 pid=", STEP);
			NativeAccess os = NativeAccess.get();
			os.kill(Long.parseLong(first.replaceAll(".*pid=(\\d+).*", "$1")), PosixSignal.KILL);
			String launched = app.awaitLine("launched instance 2 (pid", STEP);
			long second = Long.parseLong(launched.replaceAll(".*launched instance 2 \\(pid (\\d+)\\).*", "$1"));
			os.kill(second, PosixSignal.KILL);

			app.awaitLine("MARK iid=3 pid=", STEP);
			assertThat(app.supervisor().isAlive()).as(app.toString()).isTrue();
		}
	}

}
