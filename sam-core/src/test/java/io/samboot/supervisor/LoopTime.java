package io.samboot.supervisor;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Lets fake time pass for a {@link SupervisorLoop} the way its thread would live it. */
final class LoopTime {

	private LoopTime() {
	}

	/**
	 * Advances {@code nanos} by {@code duration}, waking the loop at every deadline it
	 * asks for on the way and once at the end, as the real loop thread would.
	 * @throws AssertionError if the loop keeps asking to be woken without time passing
	 */
	static void elapse(SupervisorLoop loop, AtomicLong nanos, Duration duration) {
		long end = nanos.get() + duration.toNanos();
		for (int wakeUps = 0; wakeUps < 1_000_000; wakeUps++) {
			long next = loop.nextDeadline(nanos.get());
			if (next - end >= 0) {
				nanos.set(end);
				loop.onTime(end);
				return;
			}
			if (next - nanos.get() > 0) {
				nanos.set(next);
			}
			loop.onTime(nanos.get());
		}
		throw new AssertionError("the loop keeps asking to be woken up without time passing");
	}

}
