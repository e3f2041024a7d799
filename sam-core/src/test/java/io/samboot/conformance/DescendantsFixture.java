package io.samboot.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.samboot.RecoveryPolicy;
import io.samboot.Sam;
import io.samboot.SamSettings;
import sun.misc.Signal;

import static io.samboot.testsupport.FixtureMarks.check;
import static io.samboot.testsupport.FixtureMarks.mark;

/**
 * A plain-Java SAM application whose every instance leaves processes that ignore SIGTERM,
 * for {@link DescendantsProcessTests}: a child shell ({@code trap '' TERM}) and an orphan
 * (a background {@code sleep} whose shell exits at once, so that it is re-parented at
 * once); instance 1 also makes an orphan before SAM is even initialised. Prints
 * {@code MARK iid=N pid=P standby=B child=C orphan=O [early=E]}, then sends heartbeats.
 *
 * <p>
 * Modes: {@code heartbeat}; {@code hang} (instance 1 ignores SIGTERM and stops its
 * heartbeats, so that it is killed); {@code standby} (with a hot standby, which makes its
 * processes while it is parked).
 */
public final class DescendantsFixture {

	private static final long PID = ProcessHandle.current().pid();

	private static final String ORPHAN = "trap '' TERM; sleep 1000 </dev/null >/dev/null 2>&1 & echo $!";

	private static final String CHILD = "trap '' TERM; sleep 1000";

	private DescendantsFixture() {
	}

	public static void main(String[] args) throws Exception {
		String mode = args[0];
		// Instance 1 starts while the supervisor JVM is still turning into the lean one.
		String early = "1".equals(System.getenv("SAM_INSTANCE_ID")) ? " early=" + orphan() : "";
		Sam.initialize(SamSettings.builder()
			.timeInterval(Duration.ofMillis(1000))
			.recoveryPolicy(RecoveryPolicy.RESTART)
			.killDelay(Duration.ofMillis(500))
			.restartDelay(Duration.ofMillis(100))
			.shutdownTimeout(Duration.ofSeconds(5))
			.standby("standby".equals(mode))
			.build());
		int iid = Sam.register();
		boolean standby = Sam.isStandby();
		long child = new ProcessBuilder("sh", "-c", CHILD).redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.redirectErrorStream(true)
			.start()
			.pid();
		mark("iid=" + iid + " pid=" + PID + " standby=" + standby + " child=" + child + " orphan=" + orphan() + early);
		// A standby parks here until it is promoted.
		Sam.start();
		boolean hang = "hang".equals(mode) && iid == 1;
		if (hang) {
			// A hung instance: deaf to the warning signal, it is killed.
			Signal.handle(new Signal("TERM"), signal -> {
			});
		}
		while (true) {
			if (!hang) {
				Sam.hcSend();
			}
			Thread.sleep(200);
		}
	}

	/**
	 * Runs a shell that starts a background process ignoring SIGTERM, prints its PID and
	 * exits, leaving it an orphan.
	 */
	private static long orphan() throws IOException, InterruptedException {
		Process shell = new ProcessBuilder("sh", "-c", ORPHAN).redirectErrorStream(true).start();
		String line;
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(shell.getInputStream(), StandardCharsets.US_ASCII))) {
			line = reader.readLine();
		}
		check(shell.waitFor(10, TimeUnit.SECONDS), "the shell leaving an orphan did not exit");
		return Long.parseLong(line.trim());
	}

}
