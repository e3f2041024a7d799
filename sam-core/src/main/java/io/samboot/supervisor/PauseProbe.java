package io.samboot.supervisor;

import java.time.Duration;
import java.util.Optional;

import io.samboot.log.SamLog;

/**
 * Tells whether a JVM is stopped in a stop-the-world pause right now, and for how long so
 * far.
 *
 * <p>
 * A JVM inside a long stop-the-world garbage collection cannot answer a health check, yet
 * it is not hung: it resumes on its own once the collection ends. Before the supervisor
 * warns and then kills an instance that missed its health-check deadline, it asks this
 * probe; while the instance is inside a pause the supervisor extends the deadline, up to
 * {@code sam.health-check.pause-grace}, instead of killing a healthy application in the
 * middle of its collection.
 *
 * <p>
 * The answer is a hint, never a proof of health: "cannot be told" reads as "not in a
 * pause", so a JVM the probe cannot see is treated exactly as without pause awareness.
 * Implementations answer quickly (microseconds), without blocking and without throwing,
 * so the supervisor may ask on every pass of its loop.
 */
public interface PauseProbe {

	/**
	 * A probe that never sees a pause: the supervisor behaves as without pause awareness.
	 */
	PauseProbe NONE = (pid) -> Optional.empty();

	/**
	 * How long the JVM with this PID has been inside a stop-the-world pause (a garbage
	 * collection, or a safepoint the probe saw begin) right now.
	 * @param pid the process ID of the JVM
	 * @return how long the current pause has lasted so far; empty when the JVM is not in
	 * a pause, or when that cannot be told (no such process, not a HotSpot JVM, no
	 * performance data)
	 */
	Optional<Duration> currentPause(long pid);

	/**
	 * The probe for this platform: on Linux one that reads the performance counters every
	 * HotSpot JVM publishes (see {@link HotSpotPauseProbe}), elsewhere {@link #NONE},
	 * after logging once why. Each call returns a new probe, which remembers the last JVM
	 * it was asked about; use one probe per supervised instance.
	 */
	static PauseProbe forThisPlatform() {
		return HotSpotPauseProbe.forThisPlatform(System.getProperty("os.name", ""), SamLog.get(PauseProbe.class)::info);
	}

}
