package io.samboot.testsupport;

import java.lang.management.ManagementFactory;

/** Bytes allocated by the current thread, where the JVM can tell (HotSpot can). */
public final class Allocations {

	private static final com.sun.management.ThreadMXBean THREADS = threads();

	private Allocations() {
	}

	/** Bytes this thread has allocated so far, or -1 where the JVM cannot tell. */
	public static long current() {
		return (THREADS != null) ? THREADS.getCurrentThreadAllocatedBytes() : -1;
	}

	/**
	 * Fails when more than {@code budget} bytes were allocated since {@code before} (a
	 * value of {@link #current()}); does nothing where allocation cannot be measured.
	 */
	public static void assertAtMost(long before, long budget, String what) {
		if (before < 0) {
			return;
		}
		long allocated = current() - before;
		if (allocated > budget) {
			throw new AssertionError(what + " allocated " + allocated + " bytes, more than its budget of " + budget);
		}
	}

	/** Work whose allocation is measured; may throw anything, which the caller judges. */
	@FunctionalInterface
	public interface Work {

		void run() throws Exception;

	}

	/**
	 * Runs {@code work} and fails if it allocated more than {@code budget} bytes
	 * <em>twice in a row</em>: the first run of anything may load, link and instrument
	 * classes (a fuzzer's agent does so lazily), which allocates; an allocation the input
	 * causes happens on the repeat too. Exceptions from the work propagate from the first
	 * run.
	 */
	public static void assertBounded(Work work, long budget, String what) throws Exception {
		long before = current();
		work.run();
		if (before < 0 || current() - before <= budget) {
			return;
		}
		before = current();
		try {
			work.run();
		}
		catch (Exception | AssertionError ex) {
			throw new AssertionError(what + " failed differently when repeated", ex);
		}
		assertAtMost(before, budget, what);
	}

	private static com.sun.management.ThreadMXBean threads() {
		if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
				&& threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
			return threads;
		}
		return null;
	}

}
