package io.samboot.corosync;

import java.time.Duration;

/**
 * Waits between attempts to reach corosync: {@code initial}, doubling up to {@code max};
 * back to {@code initial} after a success. Pure arithmetic, so it is tested without
 * sleeping.
 */
final class Backoff {

	private final long initialNanos;

	private final long maxNanos;

	private long nextNanos;

	Backoff(Duration initial, Duration max) {
		this.initialNanos = initial.toNanos();
		this.maxNanos = Math.max(max.toNanos(), this.initialNanos);
		this.nextNanos = this.initialNanos;
	}

	/**
	 * How long to wait before the next attempt; each call doubles the following one, up
	 * to the maximum.
	 */
	Duration next() {
		long now = this.nextNanos;
		this.nextNanos = (now > this.maxNanos / 2) ? this.maxNanos : now * 2;
		return Duration.ofNanos(now);
	}

	/** After a success: the next failure waits the initial time again. */
	void reset() {
		this.nextNanos = this.initialNanos;
	}

}
