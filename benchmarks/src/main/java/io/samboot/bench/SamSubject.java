package io.samboot.bench;

import java.nio.file.Path;
import java.time.Duration;

import io.samboot.CheckResult;
import io.samboot.HealthCheckMode;
import io.samboot.RecoveryPolicy;
import io.samboot.Sam;
import io.samboot.SamSettings;
import io.samboot.supervisor.SupervisionDecision;

/**
 * The Java program under test for hang detection, crash detection and idle footprint: the
 * same scenarios as {@code sambench.c}, with the plain-Java SAM API (no Spring) and
 * event-driven checks with an empty check. The process started becomes the supervisor;
 * each instance publishes itself in the {@link SharedSlots} file and records the time of
 * every passed check there.
 *
 * <pre>
 * java -cp benchmarks.jar io.samboot.bench.SamSubject hang FILE   time-interval 200ms, restart
 * java -cp benchmarks.jar io.samboot.bench.SamSubject idle FILE   time-interval 1s, restart
 * </pre>
 */
public final class SamSubject {

	private SamSubject() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 2 || !(args[0].equals("hang") || args[0].equals("idle"))) {
			System.err.println("usage: SamSubject hang|idle FILE");
			System.exit(64);
		}
		Duration interval = args[0].equals("hang") ? Duration.ofMillis(200) : Duration.ofSeconds(1);
		Sam.initialize(SamSettings.builder()
			.timeInterval(interval)
			.recoveryPolicy(RecoveryPolicy.RESTART)
			.healthCheckMode(HealthCheckMode.EVENT)
			// Restarted at once, as libsam, which the figures are compared with.
			.restartDelay(Duration.ZERO)
			.build());
		int instanceId = Sam.register();
		long registered = System.nanoTime();
		if (instanceId == 0) {
			System.err.println("not supervised (" + SupervisionDecision.current().reason() + ")");
			System.exit(2);
		}
		SharedSlots slots = SharedSlots.map(Path.of(args[1]), false);
		Sam.hcCallbackRegister(() -> {
			slots.set(SharedSlots.LAST_CHECK, System.nanoTime());
			return CheckResult.up();
		});
		Sam.start();
		slots.set(SharedSlots.INSTANCE_ID, instanceId);
		slots.set(SharedSlots.PID, ProcessHandle.current().pid());
		slots.set(SharedSlots.REGISTERED, registered);
		slots.set(SharedSlots.LAST_CHECK, System.nanoTime());
		slots.set(SharedSlots.SEQUENCE, instanceId);
		while (slots.get(SharedSlots.STOP) == 0) {
			Thread.sleep(100);
		}
		Sam.stop();
		Sam.close();
		System.exit(0);
	}

}
