package io.samboot.bench;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Gives the calling thread a real-time priority (SCHED_FIFO 1) when allowed (root), so
 * that the suite's timestamping threads, which sleep until a line or an exit arrives,
 * take their timestamp at once on a busy machine instead of waiting for a time slice.
 * Only threads that block (readers, watchers) use it; the pollers stay at normal priority
 * so the processes under test keep their CPU.
 */
final class Realtime {

	private static final int SCHED_FIFO = 1;

	interface Pthread extends Library {

		long pthread_self();

		int pthread_setschedparam(long thread, int policy, int[] param);

	}

	private static final Pthread PTHREAD = load();

	private Realtime() {
	}

	private static Pthread load() {
		try {
			return Native.load("c", Pthread.class);
		}
		catch (UnsatisfiedLinkError | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * @return whether the calling thread now runs with SCHED_FIFO
	 */
	static boolean raise() {
		if (PTHREAD == null || Boolean.getBoolean("bench.no-realtime")) {
			return false;
		}
		try {
			return PTHREAD.pthread_setschedparam(PTHREAD.pthread_self(), SCHED_FIFO, new int[] { 1 }) == 0;
		}
		catch (UnsatisfiedLinkError | RuntimeException ex) {
			return false;
		}
	}

}
