package io.samboot.supervisor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HotSpotPauseProbe} on performance data files written by the test in HotSpot's
 * layout, in both byte orders, with clocks the test sets.
 */
class HotSpotPauseProbeTests {

	/**
	 * A PID no process has (Linux PIDs stay below 2^22), so the probe finds the file by
	 * scanning.
	 */
	private static final long PID = 999_999_901L;

	private static final long VM_BEGIN_MILLIS = 1_700_000_000_000L;

	@TempDir
	Path root;

	private Path file;

	private final AtomicLong nanos = new AtomicLong(50_000_000_000L);

	private final AtomicLong millis = new AtomicLong(VM_BEGIN_MILLIS + 10_000);

	private final List<String> notices = new ArrayList<>();

	private boolean mapped = true;

	@BeforeEach
	void perfDataDirectory() throws IOException {
		this.file = Files.createDirectories(this.root.resolve("hsperfdata_test")).resolve(Long.toString(PID));
	}

	/** Moves both clocks on. */
	private void advance(long millis) {
		this.nanos.addAndGet(millis * 1_000_000);
		this.millis.addAndGet(millis);
	}

	/**
	 * A probe whose JVM began 10 s before "now": its elapsed counter reads 10 s at the
	 * first look.
	 */
	private HotSpotPauseProbe probe() {
		return new HotSpotPauseProbe(this.root, this.nanos::get, this.millis::get, (pid, path) -> this.mapped,
				this.notices::add);
	}

	@ParameterizedTest
	@ValueSource(strings = { "BIG_ENDIAN", "LITTLE_ENDIAN" })
	void collectionInProgressIsAPauseSinceItsEntry(String byteOrder) throws IOException {
		ByteOrder order = byteOrder.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
		PerfData data = serialJvm(order).set("sun.gc.collector.1.lastEntryTime", 9_000_000_000L)
			.set("sun.gc.collector.1.lastExitTime", 8_000_000_000L)
			.writeTo(this.file);
		HotSpotPauseProbe probe = probe();

		assertThat(probe.currentPause(PID)).contains(Duration.ofSeconds(1));
		advance(250);
		assertThat(probe.currentPause(PID)).contains(Duration.ofMillis(1250));

		data.update(this.file, "sun.gc.collector.1.lastExitTime", 9_300_000_000L);
		assertThat(probe.currentPause(PID)).isEmpty();
		assertThat(this.notices).isEmpty();
	}

	@Test
	void youngCollectionInProgressIsAPauseToo() throws IOException {
		PerfData data = serialJvm(ByteOrder.LITTLE_ENDIAN).writeTo(this.file);
		HotSpotPauseProbe probe = probe();
		assertThat(probe.currentPause(PID)).isEmpty();

		data.update(this.file, "sun.gc.collector.0.lastEntryTime", 9_900_000_000L);
		assertThat(probe.currentPause(PID)).contains(Duration.ofMillis(100));
	}

	@Test
	void collectorThatAlsoTimesConcurrentCyclesIsIgnored() throws IOException {
		new PerfData(ByteOrder.LITTLE_ENDIAN).common()
			.string("sun.gc.collector.1.name", "Shenandoah full")
			.set("sun.gc.collector.1.lastEntryTime", 9_000_000_000L)
			.set("sun.gc.collector.1.lastExitTime", 8_000_000_000L)
			.writeTo(this.file);

		assertThat(probe().currentPause(PID)).isEmpty();
		assertThat(HotSpotPauseProbe.isPauseCollector("Shenandoah full")).isFalse();
		assertThat(HotSpotPauseProbe.isPauseCollector("Shenandoah full GC pauses")).isTrue();
		assertThat(HotSpotPauseProbe.isPauseCollector("ZGC major collection pauses")).isTrue();
		assertThat(HotSpotPauseProbe.isPauseCollector("PSParallelCompact")).isTrue();
	}

	@Test
	void safepointSeenToBeginIsAPauseUntilItEnds() throws IOException {
		PerfData data = serialJvm(ByteOrder.BIG_ENDIAN).writeTo(this.file);
		HotSpotPauseProbe probe = probe();
		assertThat(probe.currentPause(PID)).isEmpty();

		data.update(this.file, "sun.rt.safepoints", 4);
		assertThat(probe.currentPause(PID)).contains(Duration.ZERO);
		advance(300);
		assertThat(probe.currentPause(PID)).contains(Duration.ofMillis(300));

		data.update(this.file, "sun.rt.safepointTime", 2_000_000);
		assertThat(probe.currentPause(PID)).isEmpty();

		// Two began, one ended: whether the second still runs cannot be told, so it is
		// not claimed.
		data.update(this.file, "sun.rt.safepoints", 6).update(this.file, "sun.rt.safepointTime", 3_000_000);
		assertThat(probe.currentPause(PID)).isEmpty();
		assertThat(probe.currentPause(PID)).isEmpty();
	}

	@Test
	void firstLookCannotTellASafepoint() throws IOException {
		serialJvm(ByteOrder.BIG_ENDIAN).set("sun.rt.safepoints", 4).writeTo(this.file);

		assertThat(probe().currentPause(PID)).isEmpty();
	}

	@Test
	void pauseNeverStartsInTheFutureWhenTheWallClockWasStepped() throws IOException {
		// The wall clock says the JVM began 1 s ago, its own counters say it entered a
		// collection at 5 s.
		this.millis.set(VM_BEGIN_MILLIS + 1_000);
		serialJvm(ByteOrder.LITTLE_ENDIAN).set("sun.gc.collector.1.lastEntryTime", 5_000_000_000L).writeTo(this.file);
		HotSpotPauseProbe probe = probe();

		assertThat(probe.currentPause(PID)).contains(Duration.ZERO);
		advance(100);
		assertThat(probe.currentPause(PID)).contains(Duration.ofMillis(100));
	}

	@Test
	void startingJvmIsNotInAPauseAndNotReported() throws IOException {
		PerfData data = serialJvm(ByteOrder.LITTLE_ENDIAN).set("sun.gc.collector.1.lastEntryTime", 9_000_000_000L)
			.accessible(false)
			.writeTo(this.file);
		HotSpotPauseProbe probe = probe();
		assertThat(probe.currentPause(PID)).isEmpty();

		data.accessible(true).writeTo(this.file);
		assertThat(probe.currentPause(PID)).as("not looked at again so soon").isEmpty();
		advance(HotSpotPauseProbe.LOOKUP_INTERVAL_NANOS / 1_000_000);
		assertThat(probe.currentPause(PID)).contains(Duration.ofMillis(1500));
		assertThat(this.notices).isEmpty();
	}

	@Test
	void jvmThatHasNotRecordedItsStartYetIsLookedAtAgain() throws IOException {
		// HotSpot sets the accessible flag just before it records
		// sun.rt.createVmBeginTime.
		PerfData data = serialJvm(ByteOrder.LITTLE_ENDIAN).set("sun.gc.collector.1.lastEntryTime", 9_000_000_000L)
			.set("sun.rt.createVmBeginTime", 0)
			.writeTo(this.file);
		HotSpotPauseProbe probe = probe();
		assertThat(probe.currentPause(PID)).isEmpty();

		data.update(this.file, "sun.rt.createVmBeginTime", VM_BEGIN_MILLIS);
		advance(HotSpotPauseProbe.LOOKUP_INTERVAL_NANOS / 1_000_000);
		assertThat(probe.currentPause(PID)).contains(Duration.ofMillis(1500));
		assertThat(this.notices).isEmpty();
	}

	@Test
	void fileWithoutHotSpotsMagicIsReportedOnce() throws IOException {
		Files.write(this.file, new byte[4096]);
		HotSpotPauseProbe probe = probe();

		assertThat(probe.currentPause(PID)).isEmpty();
		advance(HotSpotPauseProbe.LOOKUP_INTERVAL_NANOS / 1_000_000);
		assertThat(probe.currentPause(PID)).isEmpty();
		assertThat(this.notices).singleElement().asString().contains("PID " + PID, "magic 0xcafec0c0");
	}

	@Test
	void fileLeftBehindByAnEarlierJvmIsNotBelieved() throws IOException {
		serialJvm(ByteOrder.LITTLE_ENDIAN).set("sun.gc.collector.1.lastEntryTime", 9_000_000_000L).writeTo(this.file);
		this.mapped = false;

		assertThat(probe().currentPause(PID)).isEmpty();
		assertThat(this.notices).singleElement().asString().contains("left behind by an earlier JVM");
	}

	@Test
	void fileReplacedByAnotherJvmIsReadAfresh() throws IOException {
		serialJvm(ByteOrder.LITTLE_ENDIAN).set("sun.gc.collector.1.lastEntryTime", 9_000_000_000L).writeTo(this.file);
		HotSpotPauseProbe probe = probe();
		assertThat(probe.currentPause(PID)).contains(Duration.ofSeconds(1));

		// The probe's mapping keeps the old file's inode alive, so the new file is
		// another one.
		Files.delete(this.file);
		serialJvm(ByteOrder.LITTLE_ENDIAN).set("sun.gc.collector.0.lastEntryTime", 9_500_000_000L).writeTo(this.file);
		advance(HotSpotPauseProbe.LOOKUP_INTERVAL_NANOS / 1_000_000);
		assertThat(probe.currentPause(PID)).as("in the new file's collection").contains(Duration.ofSeconds(1));
		assertThat(this.notices).isEmpty();
	}

	@Test
	void fileWithoutTheCountersIsReported() throws IOException {
		new PerfData(ByteOrder.LITTLE_ENDIAN).set("sun.os.hrt.frequency", 1_000_000_000L).writeTo(this.file);

		assertThat(probe().currentPause(PID)).isEmpty();
		assertThat(this.notices).singleElement().asString().contains("lacks the counters");
	}

	@Test
	void nonLinuxPlatformGetsNoProbeAndANotice() {
		assertThat(HotSpotPauseProbe.forThisPlatform("Mac OS X", this.notices::add)).isSameAs(PauseProbe.NONE);
		assertThat(this.notices).singleElement().asString().contains("Linux only", "Mac OS X");
		assertThat(HotSpotPauseProbe.forThisPlatform("Linux", this.notices::add)).isInstanceOf(HotSpotPauseProbe.class);
	}

	/**
	 * The counters the probe reads of a JVM on the serial collector, in no collection.
	 */
	private static PerfData serialJvm(ByteOrder order) {
		return new PerfData(order).common()
			.string("sun.gc.collector.0.name", "Serial young collection pauses")
			.set("sun.gc.collector.0.lastEntryTime", 2_000_000_000L)
			.set("sun.gc.collector.0.lastExitTime", 2_100_000_000L)
			.string("sun.gc.collector.1.name", "Serial full collection pauses")
			.set("sun.gc.collector.1.lastEntryTime", 0)
			.set("sun.gc.collector.1.lastExitTime", 0);
	}

	/**
	 * A performance data file in HotSpot's layout (version 2.0): the prologue, then one
	 * entry per counter, each a 20-byte header, the NUL-terminated name, padding and the
	 * value, 8-byte aligned.
	 */
	static final class PerfData {

		private final ByteOrder order;

		private final Map<String, Object> counters = new LinkedHashMap<>();

		private final Map<String, Integer> valueOffsets = new LinkedHashMap<>();

		private boolean accessible = true;

		PerfData(ByteOrder order) {
			this.order = order;
		}

		PerfData common() {
			return set("sun.os.hrt.frequency", 1_000_000_000L).set("sun.rt.createVmBeginTime", VM_BEGIN_MILLIS)
				.set("sun.rt.safepoints", 3)
				.set("sun.rt.safepointTime", 1_000_000);
		}

		PerfData set(String name, long value) {
			this.counters.put(name, value);
			return this;
		}

		PerfData string(String name, String value) {
			this.counters.put(name, value);
			return this;
		}

		PerfData accessible(boolean value) {
			this.accessible = value;
			return this;
		}

		/**
		 * Writes the whole file anew (the same file, as the JVM's own mapping would see
		 * it).
		 */
		PerfData writeTo(Path file) throws IOException {
			ByteBuffer buffer = ByteBuffer.allocate(32 * 1024).order(this.order);
			buffer.order(ByteOrder.BIG_ENDIAN).putInt(0, HotSpotPauseProbe.MAGIC).order(this.order);
			buffer.put(4, (byte) ((this.order == ByteOrder.BIG_ENDIAN) ? 0 : 1));
			buffer.put(5, (byte) 2);
			buffer.put(6, (byte) 0);
			buffer.put(7, (byte) (this.accessible ? 1 : 0));
			int offset = HotSpotPauseProbe.PROLOGUE_SIZE;
			for (Map.Entry<String, Object> counter : this.counters.entrySet()) {
				offset += entry(buffer, offset, counter.getKey(), counter.getValue());
			}
			buffer.putInt(8, offset);
			buffer.putInt(24, HotSpotPauseProbe.PROLOGUE_SIZE);
			buffer.putInt(28, this.counters.size());
			try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
				channel.write(buffer, 0);
			}
			return this;
		}

		private int entry(ByteBuffer buffer, int offset, String name, Object value) {
			boolean isLong = value instanceof Long;
			byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.US_ASCII);
			byte[] string = isLong ? new byte[0] : (value + "\0").getBytes(StandardCharsets.UTF_8);
			int valueSize = isLong ? 8 : 1;
			int size = HotSpotPauseProbe.ENTRY_HEADER_SIZE + nameBytes.length;
			size += (size % valueSize == 0) ? 0 : valueSize - size % valueSize;
			int dataOffset = size;
			size += isLong ? 8 : string.length;
			size = (size + 7) & ~7;
			buffer.putInt(offset, size);
			buffer.putInt(offset + 4, HotSpotPauseProbe.ENTRY_HEADER_SIZE);
			buffer.putInt(offset + 8, isLong ? 0 : string.length);
			buffer.put(offset + 12, (byte) (isLong ? 'J' : 'B'));
			buffer.put(offset + 13, (byte) 1);
			buffer.put(offset + 14, (byte) (isLong ? 4 : 5));
			buffer.put(offset + 15, (byte) (isLong ? 3 : 1));
			buffer.putInt(offset + 16, dataOffset);
			buffer.put(offset + HotSpotPauseProbe.ENTRY_HEADER_SIZE, nameBytes);
			if (isLong) {
				buffer.putLong(offset + dataOffset, (Long) value);
			}
			else {
				buffer.put(offset + dataOffset, string);
			}
			this.valueOffsets.put(name, offset + dataOffset);
			return size;
		}

		/** Changes one long counter in place, as the JVM does. */
		PerfData update(Path file, String name, long value) throws IOException {
			this.counters.put(name, value);
			ByteBuffer bytes = ByteBuffer.allocate(8).order(this.order).putLong(0, value);
			try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
				channel.write(bytes, this.valueOffsets.get(name));
			}
			return this;
		}

	}

}
