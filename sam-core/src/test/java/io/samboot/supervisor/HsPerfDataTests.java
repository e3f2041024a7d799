package io.samboot.supervisor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link HsPerfData} on performance data the test crafts in HotSpot's layout
 * ({@link PerfDataImage}), in heap buffers.
 */
class HsPerfDataTests {

	@Test
	void bufferWithoutHotSpotsMagicIsNotPerfData() {
		ByteBuffer buffer = ByteBuffer.allocate(PerfDataImage.SIZE);
		buffer.putInt(0, 0xcafebabe);

		assertThatExceptionOfType(HsPerfData.NotPerfDataException.class).isThrownBy(() -> HsPerfData.of(buffer))
			.withMessage("starts with 0xcafebabe, not HotSpot's magic 0xcafec0c0");
	}

	@Test
	void bufferOfAnotherMajorVersionIsNotPerfData() {
		ByteBuffer buffer = new PerfDataImage(ByteOrder.LITTLE_ENDIAN).common().toBuffer();
		buffer.put(5, (byte) 1);

		assertThatExceptionOfType(HsPerfData.NotPerfDataException.class).isThrownBy(() -> HsPerfData.of(buffer))
			.withMessage("has performance data version 1, SAM reads version 2 (JDK 1.5 and later)");
	}

	@ParameterizedTest
	@ValueSource(strings = { "BIG_ENDIAN", "LITTLE_ENDIAN" })
	void bufferTakesTheByteOrderOfThePrologue(String byteOrder) throws Exception {
		ByteOrder order = byteOrder.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
		ByteBuffer buffer = new PerfDataImage(order).common().toBuffer();

		HsPerfData.of(buffer);

		assertThat(buffer.order()).isEqualTo(order);
	}

	@Test
	void dataIsAccessibleOnceTheJvmSetsTheFlag() throws Exception {
		ByteBuffer buffer = new PerfDataImage(ByteOrder.LITTLE_ENDIAN).common().accessible(false).toBuffer();
		HsPerfData data = HsPerfData.of(buffer);
		assertThat(data.isAccessible()).isFalse();

		buffer.put(7, (byte) 1);
		assertThat(data.isAccessible()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "BIG_ENDIAN", "LITTLE_ENDIAN" })
	void constantsAreReadInTheFilesByteOrder(String byteOrder) throws Exception {
		ByteOrder order = byteOrder.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
		HsPerfData.Counters counters = HsPerfData.of(new PerfDataImage(order).common().toBuffer()).counters();

		assertThat(counters.frequency()).isEqualTo(1_000_000_000L);
		assertThat(counters.createVmBeginMillis()).isEqualTo(PerfDataImage.VM_BEGIN_MILLIS);
	}

	@Test
	void countersTheFileLacksAreMarkedAbsent() throws Exception {
		PerfDataImage image = new PerfDataImage(ByteOrder.LITTLE_ENDIAN).set("sun.rt.applicationTime", 5);
		HsPerfData.Counters counters = HsPerfData.of(image.toBuffer()).counters();

		assertThat(counters.frequency()).isZero();
		assertThat(counters.createVmBeginMillis()).isEqualTo(HsPerfData.ABSENT);
		assertThat(counters.ticks()).isEqualTo(-1);
		assertThat(counters.safepoints()).isEqualTo(-1);
		assertThat(counters.safepointTime()).isEqualTo(-1);
		assertThat(counters.entryTimes()).isEmpty();
		assertThat(counters.exitTimes()).isEmpty();
	}

	@Test
	void safepointCountersAreFoundTogether() throws Exception {
		PerfDataImage image = new PerfDataImage(ByteOrder.BIG_ENDIAN).common().set("sun.os.hrt.ticks", 7);
		HsPerfData.Counters counters = HsPerfData.of(image.toBuffer()).counters();

		assertThat(counters.safepoints()).isEqualTo(image.valueOffset("sun.rt.safepoints"));
		assertThat(counters.safepointTime()).isEqualTo(image.valueOffset("sun.rt.safepointTime"));
		assertThat(counters.ticks()).isEqualTo(image.valueOffset("sun.os.hrt.ticks"));
	}

	@Test
	void safepointCountWithoutItsTimeIsAbsent() throws Exception {
		PerfDataImage image = new PerfDataImage(ByteOrder.BIG_ENDIAN).set("sun.rt.safepoints", 3);
		HsPerfData.Counters counters = HsPerfData.of(image.toBuffer()).counters();

		assertThat(counters.safepoints()).isEqualTo(-1);
		assertThat(counters.safepointTime()).isEqualTo(-1);
	}

	@Test
	void pauseCollectorsTimeStampsAreFoundInCollectorOrder() throws Exception {
		PerfDataImage image = new PerfDataImage(ByteOrder.LITTLE_ENDIAN).common()
			.set("sun.gc.collector.1.lastEntryTime", 3)
			.set("sun.gc.collector.1.lastExitTime", 4)
			.string("sun.gc.collector.1.name", "Serial full collection pauses")
			.string("sun.gc.collector.0.name", "Serial young collection pauses")
			.set("sun.gc.collector.0.lastEntryTime", 1)
			.set("sun.gc.collector.0.lastExitTime", 2);
		HsPerfData.Counters counters = HsPerfData.of(image.toBuffer()).counters();

		assertThat(counters.entryTimes()).containsExactly(image.valueOffset("sun.gc.collector.0.lastEntryTime"),
				image.valueOffset("sun.gc.collector.1.lastEntryTime"));
		assertThat(counters.exitTimes()).containsExactly(image.valueOffset("sun.gc.collector.0.lastExitTime"),
				image.valueOffset("sun.gc.collector.1.lastExitTime"));
	}

	@Test
	void collectorThatAlsoTimesConcurrentCyclesIsLeftOut() throws Exception {
		PerfDataImage image = new PerfDataImage(ByteOrder.LITTLE_ENDIAN).common()
			.string("sun.gc.collector.1.name", "Shenandoah full")
			.set("sun.gc.collector.1.lastEntryTime", 3)
			.set("sun.gc.collector.1.lastExitTime", 4);

		assertThat(HsPerfData.of(image.toBuffer()).counters().entryTimes()).isEmpty();
	}

	@Test
	void collectorWithoutAnExitTimeIsLeftOut() throws Exception {
		PerfDataImage image = new PerfDataImage(ByteOrder.LITTLE_ENDIAN).common()
			.string("sun.gc.collector.0.name", "Serial young collection pauses")
			.set("sun.gc.collector.0.lastEntryTime", 1);

		assertThat(HsPerfData.of(image.toBuffer()).counters().entryTimes()).isEmpty();
	}

	@Test
	void entryStillBeingWrittenEndsTheWalk() throws Exception {
		PerfDataImage image = new PerfDataImage(ByteOrder.BIG_ENDIAN).set("sun.os.hrt.frequency", 1_000_000_000L)
			.set("sun.rt.createVmBeginTime", PerfDataImage.VM_BEGIN_MILLIS);
		ByteBuffer buffer = image.toBuffer();
		buffer.putInt(image.entryOffset("sun.rt.createVmBeginTime"), 0);

		HsPerfData.Counters counters = HsPerfData.of(buffer).counters();

		assertThat(counters.frequency()).isEqualTo(1_000_000_000L);
		assertThat(counters.createVmBeginMillis()).isEqualTo(HsPerfData.ABSENT);
	}

	@Test
	void entriesBeyondTheUsedBytesAreNotRead() throws Exception {
		PerfDataImage image = new PerfDataImage(ByteOrder.BIG_ENDIAN).set("sun.os.hrt.frequency", 1_000_000_000L)
			.set("sun.rt.createVmBeginTime", PerfDataImage.VM_BEGIN_MILLIS);
		ByteBuffer buffer = image.toBuffer();
		buffer.putInt(8, image.entryOffset("sun.rt.createVmBeginTime"));

		HsPerfData.Counters counters = HsPerfData.of(buffer).counters();

		assertThat(counters.frequency()).isEqualTo(1_000_000_000L);
		assertThat(counters.createVmBeginMillis()).isEqualTo(HsPerfData.ABSENT);
	}

	@ParameterizedTest
	@ValueSource(strings = { "BIG_ENDIAN", "LITTLE_ENDIAN" })
	void readSeesWhatTheJvmWroteInPlace(String byteOrder) throws Exception {
		ByteOrder order = byteOrder.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
		PerfDataImage image = new PerfDataImage(order).common();
		ByteBuffer buffer = image.toBuffer();
		HsPerfData data = HsPerfData.of(buffer);
		int safepoints = data.counters().safepoints();
		assertThat(data.read(safepoints)).isEqualTo(3);

		buffer.duplicate().order(order).putLong(safepoints, 4_000_000_000L);
		assertThat(data.read(safepoints)).isEqualTo(4_000_000_000L);
	}

	@Test
	void collectorsNamedPausesTimeStopTheWorldWorkOnly() {
		assertThat(HsPerfData.isPauseCollector("ZGC major collection pauses")).isTrue();
		assertThat(HsPerfData.isPauseCollector("Shenandoah full GC pauses")).isTrue();
	}

	@Test
	void collectorsOlderJdksNameTimeStopTheWorldWorkOnly() {
		assertThat(HsPerfData.isPauseCollector("PSParallelCompact")).isTrue();
		assertThat(HsPerfData.isPauseCollector("G1 stop-the-world full collections")).isTrue();
	}

	@Test
	void shenandoahFullAlsoTimesConcurrentCycles() {
		assertThat(HsPerfData.isPauseCollector("Shenandoah full")).isFalse();
	}

}
