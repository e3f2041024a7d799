package io.samboot.supervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A {@link PauseProbe} that reads the performance counters a HotSpot JVM publishes about
 * itself, the ones {@code jstat} shows, from the memory-mapped file
 * {@code /tmp/hsperfdata_<user>/<pid>}.
 *
 * <h2>The file</h2> Every HotSpot JVM creates it at start-up unless started with
 * {@code -XX:-UsePerfData} or {@code -XX:+PerfDisableSharedMem}; {@code <user>} is the
 * JVM's effective user, and the directory is {@code /tmp} on Linux whatever
 * {@code java.io.tmpdir} says. The file is 32 KiB by default, mode {@code 0600}: only
 * that user (or root) can read it. Its layout (HotSpot's {@code perfMemory.hpp}, version
 * 2.0, read by {@code jdk.internal.jvmstat}'s {@code PerfDataBuffer}) is a 32-byte
 * prologue: the magic {@code 0xcafec0c0} in big-endian, a byte order byte (0 big-endian,
 * 1 little-endian) that applies to everything else, major and minor version (2, 0), an
 * accessible byte (set once the VM has finished initialising), used bytes, overflow
 * bytes, the modification time stamp (ticks), the offset of the first entry and the
 * number of entries. Each entry has a 20-byte header (entry length, name offset, vector
 * length, type {@code 'J'} for a long or {@code 'B'} for a byte vector such as a string,
 * flags, units, variability, data offset; offsets relative to the entry), then the
 * NUL-terminated name, padding, and the value aligned to its size. Entries are only ever
 * appended: HotSpot bumps the entry count before it writes a new entry's header, so an
 * entry length of zero ends the walk. The JVM writes values in place with plain 64-bit
 * stores, which are read here with acquire semantics.
 *
 * <h2>The counters, as verified with OpenJDK 17 and Temurin 25 on Linux x86-64</h2>
 * <ul>
 * <li>{@code sun.gc.collector.<n>.lastEntryTime} and {@code lastExitTime}: the elapsed
 * counter ({@code os::elapsed_counter()}) when collector {@code n} last began and last
 * ended a collection, set by HotSpot's {@code TraceCollectorStats}; a collection is in
 * progress exactly when entry is greater than exit. {@code sun.gc.collector.<n>.name}
 * says what is timed: Serial, Parallel, G1 and ZGC name their collectors "... pauses"
 * ("Serial full collection pauses", "G1 concurrent cycle pauses", "ZGC major collection
 * pauses", ...) and time only stop-the-world work, so only those (and the names older
 * JDKs give the same collectors) count. Shenandoah's "Shenandoah full" also times its
 * concurrent cycles, during which the application runs, so it is ignored.</li>
 * <li>{@code sun.os.hrt.frequency}: ticks per second of the elapsed counter,
 * 10<sup>9</sup> on Linux, where the elapsed counter is {@code CLOCK_MONOTONIC}
 * nanoseconds (the clock of {@link System#nanoTime()} in every JVM on the machine) minus
 * the JVM's {@code initial_time_count}, taken in {@code os::init()} at the very start of
 * VM creation.</li>
 * <li>"Now" on the target's elapsed counter is therefore {@code System.nanoTime()} minus
 * that initial count, which no counter holds. {@code sun.os.hrt.ticks}, the elapsed
 * counter sampled every 50 ms, is gone in JDK 25. What every version has is
 * {@code sun.rt.createVmBeginTime}: the wall clock in milliseconds taken right after
 * {@code os::init()}, written at the end of VM creation just after the accessible flag is
 * set (the probe waits for both). This probe anchors the initial count once per JVM as
 * {@code nanoTime() - (currentTimeMillis() - createVmBeginTime)}, measured here to be
 * within 0.7 ms of the truth on both JDKs (bracketing a {@code System.gc()} in the target
 * with {@code nanoTime()} pins the true initial count to 0.1 to 0.3 ms); then it only
 * ever lowers it to stay consistent with every time stamp it reads
 * ({@code sun.os.hrt.ticks} where present, collection entries and exits), since none of
 * them can lie in the future. The anchor assumes the wall clock was not stepped between
 * the JVM's start and the probe's first look at it.</li>
 * <li>{@code sun.rt.safepoints} counts safepoints when they begin,
 * {@code sun.rt.safepointTime} grows when one ends, {@code sun.rt.applicationTime} at
 * each begin (HotSpot's {@code RuntimeService}). One reading cannot tell whether a
 * safepoint is in progress, and the safepoint times are relative to an origin (the VM
 * thread's start) that no counter gives. Across two readings it can: when the count rose
 * and the safepoint time did not, a safepoint began after the earlier reading and has not
 * ended. The probe uses that rule, so it sees a safepoint that is not a collection (a
 * heap dump, a long time-to-safepoint) only if it was asked between the end of the
 * previous safepoint and the start of this one, and reports such a pause from the moment
 * it first saw it (a lower bound). It never reports a safepoint that is not there.</li>
 * </ul>
 *
 * <p>
 * The probe keeps the mapping of the last JVM it was asked about and checks on each call
 * that the file is still the same; on first look at a JVM it checks that the process maps
 * that very file ({@code /proc/<pid>/maps}), so that a stale file left by a killed JVM
 * whose PID was reused is not believed. While it cannot read a JVM's counters it answers
 * empty, as {@link PauseProbe#NONE} would, and looks again at most twice a second (a
 * JVM's file becomes readable only once the JVM has initialised); it says once per PID,
 * through the notice consumer, why it cannot read them (a process that still has no file
 * two seconds after it started, or after the probe first asked, has none).
 */
final class HotSpotPauseProbe implements PauseProbe {

	/** Where HotSpot keeps {@code hsperfdata_<user>} directories on Linux. */
	static final Path PERF_DATA_ROOT = Path.of("/tmp");

	static final int MAGIC = 0xcafec0c0;

	static final int PROLOGUE_SIZE = 32;

	static final int ENTRY_HEADER_SIZE = 20;

	private static final int BYTE_ORDER_OFFSET = 4;

	private static final int MAJOR_VERSION_OFFSET = 5;

	private static final int ACCESSIBLE_OFFSET = 7;

	private static final int USED_OFFSET = 8;

	private static final int ENTRY_OFFSET_OFFSET = 24;

	private static final int NUM_ENTRIES_OFFSET = 28;

	private static final VarHandle BIG_ENDIAN_LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
			ByteOrder.BIG_ENDIAN);

	private static final VarHandle LITTLE_ENDIAN_LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
			ByteOrder.LITTLE_ENDIAN);

	private static final Pattern COLLECTOR_COUNTER = Pattern
		.compile("sun\\.gc\\.collector\\.(\\d+)\\.(name|lastEntryTime|lastExitTime)");

	/**
	 * Stop-the-world collectors as older JDKs (8, 11) name them, before "... pauses"
	 * became the rule.
	 */
	private static final Set<String> LEGACY_PAUSE_COLLECTORS = Set.of("Copy", "MSC", "PCopy", "ParNew", "PSScavenge",
			"PSParallelCompact", "G1 incremental collections", "G1 stop-the-world full collections",
			"G1 stop-the-world phases");

	private static final String CONSEQUENCE = "; its health-check deadlines are not extended for pauses"
			+ " (sam.health-check.pause-grace)";

	private static final long NEVER = Long.MIN_VALUE;

	/**
	 * How often to look again for a JVM's file that is missing or unusable (not yet
	 * accessible, say).
	 */
	static final long LOOKUP_INTERVAL_NANOS = 500_000_000L;

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
		this(PERF_DATA_ROOT, System::nanoTime, System::currentTimeMillis, HotSpotPauseProbe::mapsFile, notices);
	}

	/**
	 * A probe with its surroundings given, for tests.
	 * @param root the directory holding the {@code hsperfdata_<user>} directories
	 * @param nanoTime the monotonic clock the targets' elapsed counters are based on
	 * @param wallMillis the wall clock of {@code sun.rt.createVmBeginTime}
	 * @param mappedByProcess whether the process with the PID maps the file (a stale-file
	 * check)
	 * @param notices where to say, once per PID, why a JVM's pauses cannot be seen
	 */
	HotSpotPauseProbe(Path root, LongSupplier nanoTime, LongSupplier wallMillis,
			BiPredicate<Long, Path> mappedByProcess, Consumer<String> notices) {
		this.root = root;
		this.nanoTime = nanoTime;
		this.wallMillis = wallMillis;
		this.mappedByProcess = mappedByProcess;
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
			Target current = target(pid);
			return (current != null) ? current.currentPause(this.nanoTime) : Optional.empty();
		}
		catch (RuntimeException | InternalError ex) {
			// A corrupt entry, or a file truncated under the mapping (the JVM turns that
			// SIGBUS into an
			// InternalError): cannot be told, never a failure of the supervisor.
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
			return target(pid) != null;
		}
		catch (RuntimeException | InternalError ex) {
			this.target = null;
			return false;
		}
	}

	/**
	 * The mapped counters of the JVM with this PID, or {@code null} when they cannot be
	 * read now.
	 */
	private Target target(long pid) {
		Target current = this.target;
		if (current != null && current.pid == pid && current.isStillTheFile()) {
			return current;
		}
		this.target = null;
		long now = this.nanoTime.getAsLong();
		if (pid != this.lookupPid) {
			this.lookupPid = pid;
			this.firstLookupNanos = now;
		}
		else if (now - this.nextLookupNanos < 0) {
			return null;
		}
		this.nextLookupNanos = now + LOOKUP_INTERVAL_NANOS;
		Optional<Path> file = locate(pid);
		if (file.isEmpty()) {
			if (now - this.firstLookupNanos >= MISSING_FILE_GRACE_NANOS || isOlderThanMissingFileGrace(pid)) {
				notice(pid, "it has no HotSpot performance data file " + this.root + "/hsperfdata_<user>/" + pid
						+ " (not a HotSpot JVM, or started with -XX:-UsePerfData or -XX:+PerfDisableSharedMem)");
			}
			return null;
		}
		Target opened = open(pid, file.get());
		if (opened != null && opened.complete()) {
			this.target = opened;
			return opened;
		}
		return null;
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

	private Optional<Path> locate(long pid) {
		String name = Long.toString(pid);
		Optional<String> user = ProcessHandle.of(pid).flatMap((process) -> process.info().user());
		if (user.isPresent()) {
			Path expected = this.root.resolve("hsperfdata_" + user.get()).resolve(name);
			if (Files.isRegularFile(expected)) {
				return Optional.of(expected);
			}
		}
		// The owner's name and the directory's may differ (a numeric or changed user):
		// look in all of them.
		try (DirectoryStream<Path> dirs = Files.newDirectoryStream(this.root, "hsperfdata_*")) {
			for (Path dir : dirs) {
				Path candidate = dir.resolve(name);
				if (Files.isRegularFile(candidate)) {
					return Optional.of(candidate);
				}
			}
		}
		catch (IOException | UncheckedIOException ex) {
			// an unreadable /tmp: nothing found
		}
		return Optional.empty();
	}

	/**
	 * Maps and parses the file; {@code null} (after a notice unless the JVM is still
	 * starting) if unusable.
	 */
	private Target open(long pid, Path file) {
		Object fileKey;
		ByteBuffer buffer;
		try (FileChannel channel = FileChannel.open(file)) {
			fileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
			long size = channel.size();
			if (size < PROLOGUE_SIZE || size > Integer.MAX_VALUE) {
				notice(pid, file + " is " + size + " bytes long, not a HotSpot performance data file");
				return null;
			}
			buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
		}
		catch (NoSuchFileException ex) {
			return null; // the JVM exited meanwhile
		}
		catch (IOException ex) {
			notice(pid, "its performance data file " + file + " cannot be read (" + ex.getMessage()
					+ "); the supervisor must run as the instance's user or as root");
			return null;
		}
		int magic = buffer.order(ByteOrder.BIG_ENDIAN).getInt(0);
		if (magic != MAGIC) {
			notice(pid, file + " starts with 0x" + Integer.toHexString(magic) + ", not HotSpot's magic 0xcafec0c0");
			return null;
		}
		if (buffer.get(MAJOR_VERSION_OFFSET) != 2) {
			notice(pid, file + " has performance data version " + buffer.get(MAJOR_VERSION_OFFSET)
					+ ", SAM reads version 2 (JDK 1.5 and later)");
			return null;
		}
		buffer.order((buffer.get(BYTE_ORDER_OFFSET) == 0) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
		if (buffer.get(ACCESSIBLE_OFFSET) == 0) {
			return null; // still starting: look again next time
		}
		if (!this.mappedByProcess.test(pid, file)) {
			notice(pid, file + " is not mapped by process " + pid
					+ " (a file left behind by an earlier JVM with the same PID)");
			return null;
		}
		Target opened = new Target(pid, file, fileKey, buffer);
		opened.parse(this.nanoTime.getAsLong(), this.wallMillis.getAsLong());
		if (opened.startNotYetRecorded) {
			return null; // accessible, but create_vm has yet to record its start: look
							// again next time
		}
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

	static boolean isPauseCollector(String name) {
		return name.endsWith(" pauses") || LEGACY_PAUSE_COLLECTORS.contains(name);
	}

	/**
	 * Whether {@code /proc/<pid>/maps} lists the file, that is the JVM with that PID is
	 * the one writing it; {@code true} too when reading the maps is not permitted (the
	 * file was, so it is believed).
	 */
	static boolean mapsFile(Long pid, Path file) {
		String suffix;
		try {
			suffix = " " + file.toRealPath();
		}
		catch (IOException ex) {
			return false;
		}
		try (Stream<String> lines = Files.lines(Path.of("/proc", pid.toString(), "maps"), StandardCharsets.UTF_8)) {
			return lines.anyMatch((line) -> line.endsWith(suffix));
		}
		catch (AccessDeniedException ex) {
			return true;
		}
		catch (IOException | UncheckedIOException ex) {
			return false; // no such process, or it ended while being read
		}
	}

	/** One JVM's mapped counters and what the probe has learnt about that JVM. */
	private static final class Target {

		final long pid;

		final Path file;

		private final Object fileKey;

		private final ByteBuffer buffer;

		private final VarHandle longs;

		/**
		 * Byte offsets of the entry and exit time stamps of the stop-the-world
		 * collectors.
		 */
		private int[] entryTimes = new int[0];

		private int[] exitTimes = new int[0];

		private int ticks = -1;

		private int safepoints = -1;

		private int safepointTime = -1;

		private double nanosPerTick;

		/**
		 * Whether {@code sun.rt.createVmBeginTime} is still 0: HotSpot sets it just after
		 * the accessible flag.
		 */
		boolean startNotYetRecorded;

		/**
		 * The JVM's {@code initial_time_count} on this JVM's {@code System.nanoTime()}.
		 */
		private long initialNanos = NEVER;

		private long lastSafepoints = NEVER;

		private long lastSafepointTime;

		/** When this probe first saw the current safepoint, or {@link #NEVER}. */
		private long safepointSeenNanos = NEVER;

		Target(long pid, Path file, Object fileKey, ByteBuffer buffer) {
			this.pid = pid;
			this.file = file;
			this.fileKey = fileKey;
			this.buffer = buffer;
			this.longs = (buffer.order() == ByteOrder.BIG_ENDIAN) ? BIG_ENDIAN_LONGS : LITTLE_ENDIAN_LONGS;
		}

		boolean complete() {
			return this.initialNanos != NEVER && (this.entryTimes.length > 0 || this.safepoints >= 0);
		}

		/** Whether the path still names the mapped file (a JVM that exits deletes it). */
		boolean isStillTheFile() {
			try {
				Object now = Files.readAttributes(this.file, BasicFileAttributes.class).fileKey();
				return Objects.equals(this.fileKey, now);
			}
			catch (IOException ex) {
				return false;
			}
		}

		void parse(long nowNanos, long nowMillis) {
			ByteBuffer b = this.buffer;
			int limit = Math.min(b.capacity(), Math.max(PROLOGUE_SIZE, b.getInt(USED_OFFSET)));
			int count = b.getInt(NUM_ENTRIES_OFFSET);
			int offset = b.getInt(ENTRY_OFFSET_OFFSET);
			Map<Integer, String> names = new TreeMap<>();
			Map<Integer, Integer> entries = new TreeMap<>();
			Map<Integer, Integer> exits = new TreeMap<>();
			long frequency = 0;
			long createVmBeginMillis = NEVER;
			int parsed = 0;
			while (parsed < count && offset >= PROLOGUE_SIZE && offset % 4 == 0
					&& offset + ENTRY_HEADER_SIZE <= limit) {
				int length = b.getInt(offset);
				int nameOffset = b.getInt(offset + 4);
				int vectorLength = b.getInt(offset + 8);
				byte type = b.get(offset + 12);
				int dataOffset = b.getInt(offset + 16);
				if (length < ENTRY_HEADER_SIZE || length > limit - offset || nameOffset < ENTRY_HEADER_SIZE
						|| dataOffset <= nameOffset || dataOffset >= length) {
					break; // the end, or an entry HotSpot is still writing
				}
				String name = cString(b, offset + nameOffset, offset + dataOffset);
				int data = offset + dataOffset;
				boolean isLong = type == 'J' && vectorLength == 0 && dataOffset + 8 <= length && data % 8 == 0;
				if (isLong) {
					switch (name) {
						case "sun.os.hrt.frequency" -> frequency = b.getLong(data);
						case "sun.os.hrt.ticks" -> this.ticks = data;
						case "sun.rt.createVmBeginTime" -> createVmBeginMillis = b.getLong(data);
						case "sun.rt.safepoints" -> this.safepoints = data;
						case "sun.rt.safepointTime" -> this.safepointTime = data;
						default -> collectorCounter(name, data, entries, exits);
					}
				}
				else if (type == 'B' && vectorLength > 0 && dataOffset + vectorLength <= length) {
					Matcher matcher = COLLECTOR_COUNTER.matcher(name);
					if (matcher.matches() && matcher.group(2).equals("name")) {
						names.put(Integer.valueOf(matcher.group(1)), cString(b, data, data + vectorLength));
					}
				}
				parsed++;
				offset += length;
			}
			List<int[]> pauseCollectors = new ArrayList<>();
			names.forEach((ordinal, name) -> {
				if (isPauseCollector(name) && entries.containsKey(ordinal) && exits.containsKey(ordinal)) {
					pauseCollectors.add(new int[] { entries.get(ordinal), exits.get(ordinal) });
				}
			});
			this.entryTimes = pauseCollectors.stream().mapToInt((pair) -> pair[0]).toArray();
			this.exitTimes = pauseCollectors.stream().mapToInt((pair) -> pair[1]).toArray();
			if (this.safepoints < 0 || this.safepointTime < 0) {
				this.safepoints = -1;
				this.safepointTime = -1;
			}
			this.startNotYetRecorded = createVmBeginMillis == 0;
			if (frequency > 0 && createVmBeginMillis > 0) {
				this.nanosPerTick = 1e9 / frequency;
				this.initialNanos = nowNanos - Math.multiplyExact(nowMillis - createVmBeginMillis, 1_000_000L);
			}
		}

		private static void collectorCounter(String name, int data, Map<Integer, Integer> entries,
				Map<Integer, Integer> exits) {
			Matcher matcher = COLLECTOR_COUNTER.matcher(name);
			if (matcher.matches()) {
				Integer ordinal = Integer.valueOf(matcher.group(1));
				switch (matcher.group(2)) {
					case "lastEntryTime" -> entries.put(ordinal, data);
					case "lastExitTime" -> exits.put(ordinal, data);
					default -> {
					}
				}
			}
		}

		private static String cString(ByteBuffer b, int from, int to) {
			int end = from;
			while (end < to && b.get(end) != 0) {
				end++;
			}
			byte[] bytes = new byte[end - from];
			b.get(from, bytes);
			return new String(bytes, StandardCharsets.UTF_8);
		}

		private long read(int offset) {
			return (long) this.longs.getAcquire(this.buffer, offset);
		}

		Optional<Duration> currentPause(LongSupplier nanoTime) {
			if (this.buffer.get(ACCESSIBLE_OFFSET) == 0) {
				return Optional.empty();
			}
			long pauseStartTicks = Long.MAX_VALUE;
			long newestTicks = 0;
			for (int i = 0; i < this.entryTimes.length; i++) {
				// Entry before exit: a collection that begins and ends between the two
				// reads then
				// shows as ended, never as one that has not ended.
				long entry = read(this.entryTimes[i]);
				long exit = read(this.exitTimes[i]);
				if (entry > exit && entry < pauseStartTicks) {
					pauseStartTicks = entry;
				}
				newestTicks = Math.max(newestTicks, Math.max(entry, exit));
			}
			if (this.ticks >= 0) {
				newestTicks = Math.max(newestTicks, read(this.ticks));
			}
			long safepointCount = (this.safepoints >= 0) ? read(this.safepoints) : NEVER;
			long safepointTotal = (this.safepoints >= 0) ? read(this.safepointTime) : 0;
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
				this.safepointSeenNanos = NEVER; // one ended; whether another began since
													// cannot be told
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
