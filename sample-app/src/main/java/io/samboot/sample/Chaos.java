package io.samboot.sample;

import java.util.concurrent.CountDownLatch;

import io.samboot.SamHealthCheck;

import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * The faults the demo endpoints switch on, seen by SAM's event-driven health check
 * through {@link SamHealthCheck @SamHealthCheck} methods.
 */
@Component
public class Chaos {

	private final CountDownLatch never = new CountDownLatch(1);

	private volatile boolean hanging;

	private volatile boolean unhealthy;

	/** From now on every health check blocks forever: the supervisor sees no answer. */
	public void hang() {
		this.hanging = true;
	}

	/** From now on every health check answers "unhealthy". */
	public void makeUnhealthy() {
		this.unhealthy = true;
	}

	/**
	 * Builds a large live set of small objects and collects it fully a few times, on its
	 * own thread: stop-the-world pauses far longer than a young collection, as a leaking
	 * or huge application has.
	 */
	public void gcPause(int megabytes) {
		Thread thread = new Thread(() -> {
			Object[][] live = new Object[megabytes][];
			for (int mb = 0; mb < megabytes; mb++) {
				live[mb] = new Object[1024 * 1024 / 64];
				for (int i = 0; i < live[mb].length; i++) {
					live[mb][i] = new long[4];
				}
			}
			for (int i = 0; i < 3; i++) {
				System.gc();
			}
			live = null;
			System.gc();
		}, "chaos-gc-pause");
		thread.setDaemon(true);
		thread.start();
	}

	/** Blocks forever once {@link #hang()} was called. */
	@SamHealthCheck
	public void responsive() throws InterruptedException {
		if (this.hanging) {
			this.never.await();
		}
	}

	/** DOWN, with the reason, once {@link #makeUnhealthy()} was called. */
	@SamHealthCheck
	public Health healthy() {
		if (this.unhealthy) {
			return Health.down().withDetail("reason", "POST /chaos/unhealthy was called").build();
		}
		return Health.up().build();
	}

}
