package io.samboot.corosync;

import java.time.Duration;
import java.time.Instant;

import io.samboot.HealthCheckMode;
import io.samboot.RecoveryPolicy;
import io.samboot.Sam;
import io.samboot.SamSettings;
import sun.misc.Signal;

/**
 * A plain-Java SAM application with {@code sam.quorum.enabled} and
 * {@code sam.cmap.enabled}, started by the cluster test inside a node's network
 * namespace. Prints {@code MARK} lines with the monotonic clock ({@code nanos},
 * comparable across processes here) and the wall clock.
 */
public final class QuorumFixture {

	private QuorumFixture() {
	}

	public static void main(String[] args) throws Exception {
		Sam.initialize(SamSettings.builder()
			.timeInterval(Duration.ofSeconds(1))
			.killDelay(Duration.ofMillis(500))
			.recoveryPolicy(RecoveryPolicy.RESTART)
			.healthCheckMode(HealthCheckMode.APPLICATION)
			.quorum(true)
			.cmap(true)
			.build());
		int iid = Sam.register();
		mark("iid=" + iid + " registered pid=" + ProcessHandle.current().pid() + " supervisor="
				+ ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L));
		Signal.handle(new Signal("TERM"), signal -> mark("iid=" + iid + " got SIGTERM"));
		Sam.start();
		mark("iid=" + iid + " started");
		while (true) {
			Sam.hcSend();
			Thread.sleep(100);
		}
	}

	private static void mark(String text) {
		System.out.println("MARK " + text + " nanos=" + System.nanoTime() + " at=" + Instant.now());
		System.out.flush();
	}

}
