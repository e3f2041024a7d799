package io.samboot.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.samboot.CheckResult;
import io.samboot.HealthCheckMode;
import io.samboot.RecoveryPolicy;
import io.samboot.Sam;
import io.samboot.SamSettings;

/**
 * The instance of the round-trip benchmark: registers with event-driven checking, an
 * empty check ({@code CheckResult.up()}), starts, and runs until its standard input ends.
 */
public final class EventInstance {

	private EventInstance() {
	}

	/** This class started as a JVM with the current class path. */
	public static List<String> command() {
		return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), EventInstance.class.getName());
	}

	public static void main(String[] args) throws IOException {
		Sam.initialize(SamSettings.builder()
			.timeInterval(Duration.ofSeconds(60))
			.recoveryPolicy(RecoveryPolicy.QUIT)
			.healthCheckMode(HealthCheckMode.EVENT)
			.build());
		int instanceId = Sam.register();
		if (instanceId == 0) {
			System.err.println("EventInstance must be launched by a supervisor (it runs unsupervised)");
			System.exit(2);
		}
		Sam.hcCallbackRegister(CheckResult::up);
		Sam.start();
		while (System.in.read() >= 0) {
			// Runs until the harness closes our standard input.
		}
		// No close(): nobody answers commands any more once the benchmark is over.
		Runtime.getRuntime().halt(0);
	}

}
