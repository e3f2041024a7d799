package io.samboot.supervisor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import io.samboot.SamSettings;

/**
 * When the next restart after a failure may happen, and whether it may happen at all:
 * exponential back-off ({@code sam.restart.delay}, {@code multiplier}, {@code max-delay},
 * after {@code immediate-restarts} failures in a row restarted at once) that starts over
 * once an instance has run stably for {@code sam.restart.window}, and an intensity limit
 * in the manner of Erlang/OTP supervisors ({@code max-restarts} within {@code window}).
 *
 * <p>
 * Only restarts after a failure are counted; restarts the user asks for (SIGHUP, the
 * endpoint) are not. Times are on the supervisor's monotonic clock, in nanoseconds.
 */
final class RestartBackoff {

	private final Deque<Long> restartTimes = new ArrayDeque<>();

	/** Failures in a row without a stable run between them. */
	private int consecutive;

	/** What to do after a failure. */
	record Decision(boolean giveUp, Duration delay, int restartsInWindow) {
	}

	/**
	 * Decides on the restart after an instance failed, and counts it.
	 * @param ranNanos how long the failed instance ran
	 */
	Decision afterFailure(SamSettings settings, long now, long ranNanos) {
		long window = settings.restartWindow().toNanos();
		if (ranNanos >= window) {
			this.consecutive = 0;
		}
		prune(now, window);
		if (settings.maxRestarts() > 0 && this.restartTimes.size() >= settings.maxRestarts()) {
			return new Decision(true, Duration.ZERO, this.restartTimes.size());
		}
		Duration delay = delay(settings, this.consecutive);
		this.consecutive++;
		this.restartTimes.addLast(now);
		return new Decision(false, delay, this.restartTimes.size());
	}

	/** The delay a failure now would get, for the endpoint. */
	Duration nextDelay(SamSettings settings) {
		return delay(settings, this.consecutive);
	}

	/** Failure restarts within the window that ends now. */
	int restartsInWindow(SamSettings settings, long now) {
		prune(now, settings.restartWindow().toNanos());
		return this.restartTimes.size();
	}

	private static Duration delay(SamSettings settings, int failuresBefore) {
		Duration base = settings.restartDelay();
		// The first failures in a row (one by default) restart at once: a single crash
		// costs no wait, a crash loop backs off.
		int backedOff = failuresBefore - settings.immediateRestarts();
		if (base.isZero() || backedOff < 0) {
			return Duration.ZERO;
		}
		double nanos = base.toNanos() * Math.pow(settings.restartMultiplier(), backedOff);
		Duration max = settings.restartMaxDelay();
		if (!max.isZero() && nanos > max.toNanos()) {
			return max;
		}
		// Without a maximum the delay still stops growing at a day, so the arithmetic
		// cannot overflow.
		return Duration.ofNanos((long) Math.min(nanos, Duration.ofDays(1).toNanos()));
	}

	private void prune(long now, long window) {
		while (!this.restartTimes.isEmpty() && now - this.restartTimes.peekFirst() >= window) {
			this.restartTimes.removeFirst();
		}
	}

}
