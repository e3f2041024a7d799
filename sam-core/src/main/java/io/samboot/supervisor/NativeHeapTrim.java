package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import io.samboot.InstanceRecord;
import io.samboot.log.SamLog;
import io.samboot.nativeaccess.NativeAccess;

/**
 * Gives the memory the C library holds free back to the kernel, once for each start of an
 * instance's health checking: at its first sign of health (a heartbeat or a passed
 * event-driven check) {@link #DELAY_NANOS} or more after that start.
 *
 * <p>
 * A supervisor's busy times are its own start and an instance's: launching it, taking its
 * registration, and the JIT compiler's work on the code each health check runs, which
 * ends some 5-15 s after the first check. The compiler's work areas and the buffers of
 * that time are freed, but glibc's allocator keeps the freed memory in its arenas for
 * later, and an idle supervisor never needs it again: trimmed 30 s after the sample
 * application's first 200 (by hand, {@code jcmd System.trim_native_heap}), its RSS fell
 * by 2.3 MB on JDK 17 and by about 5 MB on JDK 25, and stayed there. The trim runs on a
 * short-lived thread at the lowest priority, off the loop, since it walks every arena.
 *
 * <p>
 * Driven by the loop's signs of health rather than a timer of its own, so that nothing is
 * left to cancel: an instance that ends or stops checking first is forgotten, and one
 * that gives no sign of health (a {@code time-interval} of 0, an application that sends
 * no heartbeats) is not trimmed. Where the C library has no such call (musl, macOS) the
 * trim does nothing.
 */
final class NativeHeapTrim implements SupervisorListener {

	/** From the start of an instance's health checking to the trim. */
	static final long DELAY_NANOS = TimeUnit.SECONDS.toNanos(30);

	private static final SamLog log = SamLog.get(NativeHeapTrim.class);

	private static final Path STATUS = Path.of("/proc/self/status");

	private final NativeAccess os;

	private final LongSupplier nanoTime;

	private final Consumer<Runnable> background;

	/**
	 * Made with this object, at the supervisor's start: a method reference first made
	 * beside an idle supervisor links its call site then, and on JDK 25 that alone had
	 * the compiler working for 10-20 ms.
	 */
	private final Runnable trim = this::trim;

	/** The instance whose trim is still to come, 0 for none. */
	private int waiting;

	private long dueNanos;

	/**
	 * @param background runs the trim off the loop's thread
	 */
	NativeHeapTrim(NativeAccess os, LongSupplier nanoTime, Consumer<Runnable> background) {
		this.os = os;
		this.nanoTime = nanoTime;
		this.background = background;
	}

	/** Trims on a thread of its own, started for each trim. */
	static NativeHeapTrim onItsOwnThread(NativeAccess os) {
		return new NativeHeapTrim(os, System::nanoTime, NativeHeapTrim::startThread);
	}

	/**
	 * Runs the trim on a new daemon thread, which ends with it; where no thread can be
	 * started (a limit on processes), the trim is left out.
	 */
	static void startThread(Runnable trim) {
		try {
			Thread thread = new Thread(trim, "sam-heap-trim");
			thread.setDaemon(true);
			thread.start();
		}
		catch (OutOfMemoryError ex) {
			log.debug("no thread to give the C library's free memory back: " + ex);
		}
	}

	@Override
	public void healthCheckingStarted(int instanceId) {
		this.waiting = instanceId;
		this.dueNanos = this.nanoTime.getAsLong() + DELAY_NANOS;
	}

	@Override
	public void instanceHealthy(int instanceId) {
		if (instanceId != this.waiting || this.nanoTime.getAsLong() - this.dueNanos < 0) {
			return;
		}
		this.waiting = 0;
		this.background.accept(this.trim);
	}

	@Override
	public void healthCheckingStopped(int instanceId) {
		forget(instanceId);
	}

	@Override
	public void instanceEnded(InstanceRecord record) {
		forget(record.instanceId());
	}

	private void forget(int instanceId) {
		if (instanceId == this.waiting) {
			this.waiting = 0;
		}
	}

	/** On the background thread. */
	private void trim() {
		BackgroundThreads.lowerCallingThread(this.os);
		// Read only for the line: code run for the first time costs the compiler's work.
		boolean told = log.isDebugEnabled();
		long before = told ? residentBytes() : 0;
		try {
			long start = System.nanoTime();
			if (this.os.trimNativeHeap() && told) {
				long micros = (System.nanoTime() - start) / 1000;
				log.debug("gave the C library's free memory back to the kernel in " + micros + " us: resident "
						+ megabytes(before) + " -> " + megabytes(residentBytes()));
			}
		}
		catch (RuntimeException ex) {
			log.debug("the C library keeps its free memory: " + ex);
		}
	}

	private static String megabytes(long bytes) {
		return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
	}

	/** This process's resident memory, 0 where {@code /proc} does not tell. */
	private static long residentBytes() {
		try {
			for (String line : Files.readAllLines(STATUS)) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.substring(6).replace("kB", "").trim()) * 1024;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Not told.
		}
		return 0;
	}

}
