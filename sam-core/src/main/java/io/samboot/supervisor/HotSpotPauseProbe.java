package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

import io.samboot.nativeaccess.NativeAccess;

/**
 * A {@link PauseProbe} that reads the performance counters a HotSpot JVM publishes about
 * itself, the ones {@code jstat} shows, from the memory-mapped file
 * {@code /tmp/hsperfdata_<user>/<pid>}. This class is the policy: when to look for a
 * JVM's file and what to believe, what the counters say about a pause, and what to tell
 * when it cannot see one. {@link HsPerfDataFiles} finds and opens the file,
 * {@link HsPerfData} reads its bytes (the layout, and which collectors time
 * stop-the-world pauses only).
 *
 * <h2>What the counters tell, as verified with OpenJDK 17 and Temurin 25 on Linux
 * x86-64</h2> (What each counter is, {@link HsPerfData} says.)
 * <ul>
 * <li>A collection is in progress exactly when a stop-the-world collector's
 * {@code lastEntryTime} is greater than its {@code lastExitTime}: a pause since the
 * entry.</li>
 * <li>"Now" on the target's elapsed counter is {@code System.nanoTime()} minus the JVM's
 * {@code initial_time_count}, which no counter holds ({@code sun.os.hrt.ticks}, which
 * came close, is gone in JDK 25). What every version has is
 * {@code sun.rt.createVmBeginTime}, written just after the accessible flag is set (the
 * probe waits for both). This probe anchors the initial count once per JVM as
 * {@code nanoTime() - (currentTimeMillis() - createVmBeginTime)}, measured here to be
 * within 0.7 ms of the truth on both JDKs (bracketing a {@code System.gc()} in the target
 * with {@code nanoTime()} pins the true initial count to 0.1 to 0.3 ms); then it only
 * ever lowers it to stay consistent with every time stamp it reads
 * ({@code sun.os.hrt.ticks} where present, collection entries and exits), since none of
 * them can lie in the future. The anchor assumes the wall clock was not stepped between
 * the JVM's start and the probe's first look at it.</li>
 * <li>One reading of {@code sun.rt.safepoints} and {@code sun.rt.safepointTime} cannot
 * tell whether a safepoint is in progress. Across two readings it can: when the count
 * rose and the safepoint time did not, a safepoint began after the earlier reading and
 * has not ended. The probe uses that rule, so it sees a safepoint that is not a
 * collection (a heap dump, a long time-to-safepoint) only if it was asked between the end
 * of the previous safepoint and the start of this one, and reports such a pause from the
 * moment it first saw it (a lower bound). It never reports a safepoint that is not
 * there.</li>
 * </ul>
 *
 * <p>
 * The probe trusts only what the instance's own user could have written: it looks in the
 * {@code hsperfdata_*} directories owned by the instance's effective uid (never by name)
 * and opens a file there only without blocking and without following a link, as a regular
 * file of that uid ({@link HsPerfDataFiles#map}). Another user's FIFO named after the
 * instance's PID therefore can never stall the supervisor's loop, which calls this probe.
 *
 * <p>
 * The probe keeps the mapping of the last JVM it was asked about and checks that the file
 * is still the same at least once a second and before every answer that reports a pause;
 * on first look at a JVM it checks that the process maps that very file
 * ({@code /proc/<pid>/maps}), so that a stale file left by a killed JVM whose PID was
 * reused is not believed. While it cannot read a JVM's counters it answers empty, as
 * {@link PauseProbe#NONE} would, and looks again at most twice a second (a JVM's file
 * becomes readable only once the JVM has initialised); it says once per PID, through the
 * notice consumer, why it cannot read them (a process that still has no file two seconds
 * after it started, or after the probe first asked, has none).
 */
final class HotSpotPauseProbe implements PauseProbe {

	private static final String CONSEQUENCE = "; its health-check deadlines are not extended for pauses"
			+ " (sam.health-check.pause-grace)";

	private static final long NEVER = Long.MIN_VALUE;

	/**
	 * How often to look again for a JVM's file that is missing or unusable (not yet
	 * accessible, say).
	 */
	static final long LOOKUP_INTERVAL_NANOS = 500_000_000L;

	/**
	 * How long the mapped file is believed to be still the JVM's without a look at the
	 * path ({@code stat}): the loop takes a look at every health check, and the look
	 * should cost no more than reading the mapped counters (a {@code stat} through the
	 * JDK's file API, once a second, was a twentieth of an idle supervisor's CPU). Within
	 * this time a JVM that replaced the file (its process executed another JVM) is seen
	 * again; until then its pauses are not seen, and none is ever reported from a stale
	 * file: a pause is reported only after a look at the path in the same call.
	 */
	static final long RECHECK_NANOS = 5_000_000_000L;

	/**
	 * How long a process may go without a performance data file before the probe says so:
	 * HotSpot creates it within milliseconds of starting, long before the application's
	 * {@code main}.
	 */
	static final long MISSING_FILE_GRACE_NANOS = 2_000_000_000L;

	private final Path root;

	private final LongSupplier nanoTime;

	private final LongSupplier wallMillis;

	private final BiPredicate<Long, Path> mappedByProcess;

	private final LongFunction<OptionalInt> uidOf;

	private final NativeAccess os;

	private final Consumer<String> notices;

	/** The JVM last asked about; guarded by {@code this}. */
	private Target target;

	/** The PID a notice was last given for; guarded by {@code this}. */
	private long noticedPid = -1;

	/**
	 * The PID whose file was last looked for, when first and when next; guarded by
	 * {@code this}.
	 */
	private long lookupPid = -1;

	private long firstLookupNanos;

	private long nextLookupNanos;

	HotSpotPauseProbe(Consumer<String> notices) {
		this(HsPerfDataFiles.PERF_DATA_ROOT, System::nanoTime, System::currentTimeMillis, HsPerfDataFiles::mapsFile,
				HsPerfDataFiles::effectiveUid, NativeAccess.get(), notices);
	}

	/**
	 * A probe with its surroundings given, for tests.
	 * @param root the directory holding the {@code hsperfdata_<user>} directories
	 * @param nanoTime the monotonic clock the targets' elapsed counters are based on
	 * @param wallMillis the wall clock of {@code sun.rt.createVmBeginTime}
	 * @param mappedByProcess whether the process with the PID maps the file (a stale-file
	 * check)
	 * @param uidOf the effective user id of the process with the PID, empty when it is
	 * gone: only that user's files are trusted
	 * @param os how files are opened (never blocking, see
	 * {@link NativeAccess#openOwnedRegularFile})
	 * @param notices where to say, once per PID, why a JVM's pauses cannot be seen
	 */
	HotSpotPauseProbe(Path root, LongSupplier nanoTime, LongSupplier wallMillis,
			BiPredicate<Long, Path> mappedByProcess, LongFunction<OptionalInt> uidOf, NativeAccess os,
			Consumer<String> notices) {
		this.root = root;
		this.nanoTime = nanoTime;
		this.wallMillis = wallMillis;
		this.mappedByProcess = mappedByProcess;
		this.uidOf = uidOf;
		this.os = os;
		this.notices = notices;
	}

	/**
	 * This probe where HotSpot's counter files are where it expects them (Linux),
	 * otherwise {@link PauseProbe#NONE} after a notice saying why.
	 */
	static PauseProbe forThisPlatform(String osName, Consumer<String> notices) {
		if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
			notices.accept("Pause awareness is off: it reads HotSpot's performance counters in /tmp/hsperfdata_*,"
					+ " which SAM supports on Linux only, not on " + osName + "; missed health checks are not"
					+ " extended during garbage-collection pauses (sam.health-check.pause-grace)");
			return NONE;
		}
		return new HotSpotPauseProbe(notices);
	}

	@Override
	public synchronized Optional<Duration> currentPause(long pid) {
		try {
			long now = this.nanoTime.getAsLong();
			Target current = target(pid, now, false);
			Optional<Duration> pause = (current != null) ? current.currentPause(this.nanoTime) : Optional.empty();
			if (pause.isPresent() && current.checkedNanos != now) {
				// A pause is never reported from a file not looked at in this call; the
				// counters are read again only if the file was replaced.
				Target checked = target(pid, now, true);
				if (checked != current) {
					pause = (checked != null) ? checked.currentPause(this.nanoTime) : Optional.empty();
				}
			}
			return pause;
		}
		catch (RuntimeException | InternalError ex) {
			// A corrupt entry, or a file truncated under the mapping (the JVM turns that
			// SIGBUS into an InternalError): cannot be told, never a failure of the
			// supervisor.
			this.target = null;
			notice(pid, "reading its performance counters failed (" + ex + ")");
			return Optional.empty();
		}
	}

	/**
	 * Whether this probe can read the counters of the JVM with this PID now, so that its
	 * answers mean something: a supervisor may log once that pause awareness watches an
	 * instance.
	 */
	synchronized boolean sees(long pid) {
		try {
			return target(pid, this.nanoTime.getAsLong(), true) != null;
		}
		catch (RuntimeException | InternalError ex) {
			this.target = null;
			return false;
		}
	}

	/**
	 * The mapped counters of the JVM with this PID, or {@code null} when they cannot be
	 * read now.
	 * @param now the monotonic clock at the start of the caller's look
	 * @param mustCheck whether the file must be looked at ({@code stat}) now even if it
	 * was within {@link #RECHECK_NANOS}
	 */
	private Target target(long pid, long now, boolean mustCheck) {
		Target current = this.target;
		if (current != null && current.pid == pid && isStillTheFile(current, now, mustCheck)) {
			return current;
		}
		this.target = null;
		if (pid != this.lookupPid) {
			this.lookupPid = pid;
			this.firstLookupNanos = now;
		}
		else if (now - this.nextLookupNanos < 0) {
			return null;
		}
		this.nextLookupNanos = now + LOOKUP_INTERVAL_NANOS;
		OptionalInt uid = this.uidOf.apply(pid);
		if (uid.isEmpty()) {
			return null; // the process is gone
		}
		Optional<Path> file = HsPerfDataFiles.locate(this.root, pid, uid.getAsInt());
		if (file.isEmpty()) {
			if (now - this.firstLookupNanos >= MISSING_FILE_GRACE_NANOS || isOlderThanMissingFileGrace(pid)) {
				notice(pid, "it has no HotSpot performance data file " + this.root + "/hsperfdata_<user>/" + pid
						+ " in a directory of its own user (uid " + uid.getAsInt() + "): not a HotSpot JVM, started"
						+ " with -XX:-UsePerfData or -XX:+PerfDisableSharedMem, or another user created that"
						+ " directory first");
			}
			return null;
		}
		Target opened = open(pid, file.get(), uid.getAsInt(), now);
		if (opened != null && opened.complete()) {
			this.target = opened;
			return opened;
		}
		return null;
	}

	/**
	 * Whether the mapped file is still the one at its path, looked at only when asked to
	 * or once {@link #RECHECK_NANOS} have passed since the last look.
	 */
	private static boolean isStillTheFile(Target target, long now, boolean mustCheck) {
		if (!mustCheck && now - target.checkedNanos < RECHECK_NANOS) {
			return true;
		}
		if (!HsPerfDataFiles.isStillTheFile(target.file, target.fileKey)) {
			return false;
		}
		target.checkedNanos = now;
		return true;
	}

	/**
	 * Whether the process exists and started long enough ago to have created its file if
	 * it were to.
	 */
	private boolean isOlderThanMissingFileGrace(long pid) {
		long graceMillis = MISSING_FILE_GRACE_NANOS / 1_000_000;
		return ProcessHandle.of(pid)
			.flatMap((process) -> process.info().startInstant())
			.filter((start) -> this.wallMillis.getAsLong() - start.toEpochMilli() >= graceMillis)
			.isPresent();
	}

	/**
	 * Maps and parses the file; {@code null} (after a notice unless the JVM is still
	 * starting) if unusable.
	 */
	private Target open(long pid, Path file, int uid, long lookNanos) {
		HsPerfDataFiles.Mapped mapped;
		HsPerfData data;
		try {
			mapped = HsPerfDataFiles.map(file, uid, this.os);
			data = HsPerfData.of(mapped.buffer());
		}
		catch (NoSuchFileException ex) {
			return null; // the JVM exited meanwhile
		}
		catch (AccessDeniedException ex) {
			notice(pid, "its performance data file " + file + " cannot be read (" + ex.getMessage()
					+ "); the supervisor must run as the instance's user or as root");
			return null;
		}
		catch (IOException ex) {
			// Not a regular file of the instance's user (a FIFO, another user's file),
			// or unreadable: never waited on.
			notice(pid, "its performance data file " + file + " is not used (" + ex.getMessage() + ")");
			return null;
		}
		catch (HsPerfData.NotPerfDataException ex) {
			notice(pid, file + " " + ex.getMessage());
			return null;
		}
		if (!data.isAccessible()) {
			return null; // still starting: look again next time
		}
		if (!this.mappedByProcess.test(pid, file)) {
			notice(pid, file + " is not mapped by process " + pid
					+ " (a file left behind by an earlier JVM with the same PID)");
			return null;
		}
		long nowNanos = this.nanoTime.getAsLong();
		long nowMillis = this.wallMillis.getAsLong();
		HsPerfData.Counters counters = data.counters();
		if (counters.createVmBeginMillis() == 0) {
			// Accessible, but create_vm has yet to record its start: look again next
			// time.
			return null;
		}
		Target opened = new Target(pid, file, mapped.fileKey(), data, counters, nowNanos, nowMillis);
		opened.checkedNanos = lookNanos;
		if (!opened.complete()) {
			notice(pid, file + " lacks the counters sun.os.hrt.frequency, sun.rt.createVmBeginTime and"
					+ " sun.gc.collector.*.lastEntryTime/lastExitTime or sun.rt.safepoints/safepointTime");
		}
		return opened;
	}

	private void notice(long pid, String why) {
		if (pid != this.noticedPid) {
			this.noticedPid = pid;
			this.notices.accept("Pause awareness cannot see instance PID " + pid + ": " + why + CONSEQUENCE);
		}
	}

	/** One JVM's mapped counters and what the probe has learnt about that JVM. */
	private static final class Target {

		final long pid;

		final Path file;

		final Object fileKey;

		/**
		 * When the probe last saw the file still at its path: the start of that look, on
		 * the probe's clock.
		 */
		long checkedNanos;

		private final HsPerfData data;

		/** Where the counters are. */
		private final HsPerfData.Counters counters;

		private double nanosPerTick;

		/**
		 * The JVM's {@code initial_time_count} on this JVM's {@code System.nanoTime()}.
		 */
		private long initialNanos = NEVER;

		private long lastSafepoints = NEVER;

		private long lastSafepointTime;

		/** When this probe first saw the current safepoint, or {@link #NEVER}. */
		private long safepointSeenNanos = NEVER;

		/**
		 * The counters found in the file, and the anchor of the JVM's elapsed counter
		 * (when the file has both constants it needs) from the two clocks read just
		 * before the counters were looked for.
		 */
		Target(long pid, Path file, Object fileKey, HsPerfData data, HsPerfData.Counters counters, long nowNanos,
				long nowMillis) {
			this.pid = pid;
			this.file = file;
			this.fileKey = fileKey;
			this.data = data;
			this.counters = counters;
			long frequency = counters.frequency();
			long createVmBeginMillis = counters.createVmBeginMillis();
			if (frequency > 0 && createVmBeginMillis > 0) {
				this.nanosPerTick = 1e9 / frequency;
				this.initialNanos = nowNanos - Math.multiplyExact(nowMillis - createVmBeginMillis, 1_000_000L);
			}
		}

		boolean complete() {
			return this.initialNanos != NEVER
					&& (this.counters.entryTimes().length > 0 || this.counters.safepoints() >= 0);
		}

		Optional<Duration> currentPause(LongSupplier nanoTime) {
			if (!this.data.isAccessible()) {
				return Optional.empty();
			}
			long pauseStartTicks = Long.MAX_VALUE;
			long newestTicks = 0;
			int[] entryTimes = this.counters.entryTimes();
			int[] exitTimes = this.counters.exitTimes();
			for (int i = 0; i < entryTimes.length; i++) {
				// Entry before exit: a collection that begins and ends between the two
				// reads then shows as ended, never as one that has not ended.
				long entry = this.data.read(entryTimes[i]);
				long exit = this.data.read(exitTimes[i]);
				if (entry > exit && entry < pauseStartTicks) {
					pauseStartTicks = entry;
				}
				newestTicks = Math.max(newestTicks, Math.max(entry, exit));
			}
			if (this.counters.ticks() >= 0) {
				newestTicks = Math.max(newestTicks, this.data.read(this.counters.ticks()));
			}
			boolean hasSafepoints = this.counters.safepoints() >= 0;
			long safepointCount = hasSafepoints ? this.data.read(this.counters.safepoints()) : NEVER;
			long safepointTotal = hasSafepoints ? this.data.read(this.counters.safepointTime()) : 0;
			long now = nanoTime.getAsLong();
			// No time stamp read so far can lie after now: keep the anchor consistent
			// with all of them.
			this.initialNanos = Math.min(this.initialNanos, now - toNanos(newestTicks));
			long pauseNanos = -1;
			if (pauseStartTicks != Long.MAX_VALUE) {
				pauseNanos = Math.max(0, now - (this.initialNanos + toNanos(pauseStartTicks)));
			}
			if (safepointCount != NEVER && inSafepoint(safepointCount, safepointTotal, now)) {
				pauseNanos = Math.max(pauseNanos, now - this.safepointSeenNanos);
			}
			return (pauseNanos >= 0) ? Optional.of(Duration.ofNanos(pauseNanos)) : Optional.empty();
		}

		/**
		 * Whether a safepoint is in progress, as far as two readings tell: the count
		 * grows when one begins, the total time when one ends.
		 */
		private boolean inSafepoint(long count, long total, long now) {
			if (this.lastSafepoints == NEVER) {
				this.safepointSeenNanos = NEVER; // a first reading cannot tell
			}
			else if (count > this.lastSafepoints && total == this.lastSafepointTime) {
				if (this.safepointSeenNanos == NEVER) {
					this.safepointSeenNanos = now;
				}
			}
			else if (count != this.lastSafepoints || total != this.lastSafepointTime) {
				// One ended; whether another began since cannot be told.
				this.safepointSeenNanos = NEVER;
			}
			this.lastSafepoints = count;
			this.lastSafepointTime = total;
			return this.safepointSeenNanos != NEVER;
		}

		private long toNanos(long ticks) {
			return (this.nanosPerTick == 1.0) ? ticks : (long) (ticks * this.nanosPerTick);
		}

	}

}
