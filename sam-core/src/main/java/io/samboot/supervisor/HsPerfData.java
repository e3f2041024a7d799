package io.samboot.supervisor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bytes of a HotSpot performance data file, the one {@code jstat} reads: the
 * prologue, the entries, and the counters {@link HotSpotPauseProbe} reads, in place, in a
 * buffer the file is mapped to. Only bytes here: finding and opening the file is
 * {@link HsPerfDataFiles}' job, what the counters mean for a pause the probe's.
 *
 * <h2>The layout</h2> HotSpot's {@code perfMemory.hpp}, version 2.0, read by
 * {@code jdk.internal.jvmstat}'s {@code PerfDataBuffer}: a 32-byte prologue, that is the
 * magic {@code 0xcafec0c0} in big-endian, a byte order byte (0 big-endian, 1
 * little-endian) that applies to everything else, major and minor version (2, 0), an
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
 * ended a collection, set by HotSpot's {@code TraceCollectorStats}.
 * {@code sun.gc.collector.<n>.name} says what is timed: Serial, Parallel, G1 and ZGC name
 * their collectors "... pauses" ("Serial full collection pauses", "G1 concurrent cycle
 * pauses", "ZGC major collection pauses", ...) and time only stop-the-world work, so only
 * those (and the names older JDKs give the same collectors) count. Shenandoah's
 * "Shenandoah full" also times its concurrent cycles, during which the application runs,
 * so it is ignored.</li>
 * <li>{@code sun.os.hrt.frequency}: ticks per second of the elapsed counter,
 * 10<sup>9</sup> on Linux, where the elapsed counter is {@code CLOCK_MONOTONIC}
 * nanoseconds (the clock of {@link System#nanoTime()} in every JVM on the machine) minus
 * the JVM's {@code initial_time_count}, taken in {@code os::init()} at the very start of
 * VM creation. {@code sun.os.hrt.ticks}: the elapsed counter sampled every 50 ms, gone in
 * JDK 25.</li>
 * <li>{@code sun.rt.createVmBeginTime}: the wall clock in milliseconds taken right after
 * {@code os::init()}, written at the end of VM creation just after the accessible flag is
 * set.</li>
 * <li>{@code sun.rt.safepoints} counts safepoints when they begin,
 * {@code sun.rt.safepointTime} grows when one ends, {@code sun.rt.applicationTime} at
 * each begin (HotSpot's {@code RuntimeService}); the safepoint times are relative to an
 * origin (the VM thread's start) that no counter gives.</li>
 * </ul>
 */
final class HsPerfData {

	static final int MAGIC = 0xcafec0c0;

	static final int PROLOGUE_SIZE = 32;

	static final int ENTRY_HEADER_SIZE = 20;

	/** A long counter the file lacks, in {@link Counters}. */
	static final long ABSENT = Long.MIN_VALUE;

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

	private final ByteBuffer buffer;

	private final VarHandle longs;

	private HsPerfData(ByteBuffer buffer) {
		this.buffer = buffer;
		this.longs = (buffer.order() == ByteOrder.BIG_ENDIAN) ? BIG_ENDIAN_LONGS : LITTLE_ENDIAN_LONGS;
	}

	/**
	 * The performance data in this buffer, after checking HotSpot's magic and the major
	 * version; sets the buffer's byte order to the one the prologue gives.
	 * @param buffer the whole file, at least {@link #PROLOGUE_SIZE} bytes
	 * @return the performance data, whose entries have not been looked at yet
	 * @throws NotPerfDataException when the buffer is not performance data this class
	 * reads
	 */
	static HsPerfData of(ByteBuffer buffer) throws NotPerfDataException {
		int magic = buffer.order(ByteOrder.BIG_ENDIAN).getInt(0);
		if (magic != MAGIC) {
			throw new NotPerfDataException(
					"starts with 0x" + Integer.toHexString(magic) + ", not HotSpot's magic 0xcafec0c0");
		}
		if (buffer.get(MAJOR_VERSION_OFFSET) != 2) {
			throw new NotPerfDataException("has performance data version " + buffer.get(MAJOR_VERSION_OFFSET)
					+ ", SAM reads version 2 (JDK 1.5 and later)");
		}
		buffer.order((buffer.get(BYTE_ORDER_OFFSET) == 0) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
		return new HsPerfData(buffer);
	}

	/**
	 * Whether the JVM has set the accessible byte: it has finished initialising its
	 * counters.
	 */
	boolean isAccessible() {
		return this.buffer.get(ACCESSIBLE_OFFSET) != 0;
	}

	/**
	 * One walk of the entries written so far: the two constants and the offsets of the
	 * counters a pause probe reads. Stops at the first entry that is malformed or not
	 * completely written yet.
	 */
	Counters counters() {
		ByteBuffer b = this.buffer;
		int limit = Math.min(b.capacity(), Math.max(PROLOGUE_SIZE, b.getInt(USED_OFFSET)));
		int count = b.getInt(NUM_ENTRIES_OFFSET);
		int offset = b.getInt(ENTRY_OFFSET_OFFSET);
		Map<Integer, String> names = new TreeMap<>();
		Map<Integer, Integer> entries = new TreeMap<>();
		Map<Integer, Integer> exits = new TreeMap<>();
		long frequency = 0;
		long createVmBeginMillis = ABSENT;
		int ticks = -1;
		int safepoints = -1;
		int safepointTime = -1;
		int parsed = 0;
		while (parsed < count && offset >= PROLOGUE_SIZE && offset % 4 == 0 && offset + ENTRY_HEADER_SIZE <= limit) {
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
					case "sun.os.hrt.ticks" -> ticks = data;
					case "sun.rt.createVmBeginTime" -> createVmBeginMillis = b.getLong(data);
					case "sun.rt.safepoints" -> safepoints = data;
					case "sun.rt.safepointTime" -> safepointTime = data;
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
		if (safepoints < 0 || safepointTime < 0) {
			safepoints = -1;
			safepointTime = -1;
		}
		return new Counters(frequency, createVmBeginMillis, ticks, safepoints, safepointTime,
				pauseCollectors.stream().mapToInt((pair) -> pair[0]).toArray(),
				pauseCollectors.stream().mapToInt((pair) -> pair[1]).toArray());
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

	/**
	 * The long counter at this offset, as the JVM last wrote it (an acquire read).
	 * @param offset an offset from {@link Counters}
	 */
	long read(int offset) {
		return (long) this.longs.getAcquire(this.buffer, offset);
	}

	/**
	 * Whether a collector of this name times stop-the-world pauses only.
	 * @param name the value of {@code sun.gc.collector.<n>.name}
	 */
	static boolean isPauseCollector(String name) {
		return name.endsWith(" pauses") || LEGACY_PAUSE_COLLECTORS.contains(name);
	}

	/**
	 * What one walk of the entries found: two values that do not change, and where the
	 * counters that do are, for {@link HsPerfData#read(int)}; {@code -1} for an offset
	 * the file lacks.
	 *
	 * @param frequency {@code sun.os.hrt.frequency}, ticks per second of the elapsed
	 * counter; 0 when absent
	 * @param createVmBeginMillis {@code sun.rt.createVmBeginTime}, the wall clock when
	 * the VM's creation began, 0 until the VM records it; {@link HsPerfData#ABSENT} when
	 * absent
	 * @param ticks the offset of {@code sun.os.hrt.ticks} (gone in JDK 25)
	 * @param safepoints the offset of {@code sun.rt.safepoints}; -1 unless
	 * {@code sun.rt.safepointTime} is there too
	 * @param safepointTime the offset of {@code sun.rt.safepointTime}; -1 unless
	 * {@code sun.rt.safepoints} is there too
	 * @param entryTimes the offsets of {@code lastEntryTime} of the stop-the-world
	 * collectors that have both time stamps, by collector number
	 * @param exitTimes the offsets of their {@code lastExitTime}, in the same order
	 */
	record Counters(long frequency, long createVmBeginMillis, int ticks, int safepoints, int safepointTime,
			int[] entryTimes, int[] exitTimes) {

	}

	/** The buffer is not performance data in the layout this class reads. */
	static final class NotPerfDataException extends Exception {

		/**
		 * @param reason what is wrong, as the end of a sentence that starts with the
		 * file's name
		 */
		NotPerfDataException(String reason) {
			super(reason);
		}

	}

}
