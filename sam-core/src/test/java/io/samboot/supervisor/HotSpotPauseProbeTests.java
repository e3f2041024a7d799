package io.samboot.supervisor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;

import io.samboot.nativeaccess.NativeAccess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HotSpotPauseProbe} on performance data files written by the test in HotSpot's
 * layout ({@link PerfDataImage}), in both byte orders, with clocks the test sets.
 */
class HotSpotPauseProbeTests {

	/**
	 * A PID no process has (Linux PIDs stay below 2^22), so the probe finds the file by
	 * scanning.
	 */
	private static final long PID = 999_999_901L;

	private static final long VM_BEGIN_MILLIS = PerfDataImage.VM_BEGIN_MILLIS;

	@TempDir
	Path root;

	private Path file;

	private final AtomicLong nanos = new AtomicLong(50_000_000_000L);

	private final AtomicLong millis = new AtomicLong(VM_BEGIN_MILLIS + 10_000);

	private final List<String> notices = new ArrayList<>();

	private boolean mapped = true;

	/**
	 * The user the test's files belong to, and the probe takes the instance to run as.
	 */
	private int uid;

	@BeforeEach
	void perfDataDirectory() throws IOException {
		this.uid = (Integer) Files.getAttribute(this.root, "unix:uid");
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
				(pid) -> OptionalInt.of(this.uid), NativeAccess.get(), this.notices::add);
	}

	@ParameterizedTest
	@ValueSource(strings = { "BIG_ENDIAN", "LITTLE_ENDIAN" })
	void collectionInProgressIsAPauseSinceItsEntry(String byteOrder) throws IOException {
		ByteOrder order = byteOrder.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
		PerfDataImage data = serialJvm(order).set("sun.gc.collector.1.lastEntryTime", 9_000_000_000L)
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
		PerfDataImage data = serialJvm(ByteOrder.LITTLE_ENDIAN).writeTo(this.file);
		HotSpotPauseProbe probe = probe();
		assertThat(probe.currentPause(PID)).isEmpty();

		data.update(this.file, "sun.gc.collector.0.lastEntryTime", 9_900_000_000L);
		assertThat(probe.currentPause(PID)).contains(Duration.ofMillis(100));
	}

	@Test
	void collectorThatAlsoTimesConcurrentCyclesIsIgnored() throws IOException {
		new PerfDataImage(ByteOrder.LITTLE_ENDIAN).common()
			.string("sun.gc.collector.1.name", "Shenandoah full")
			.set("sun.gc.collector.1.lastEntryTime", 9_000_000_000L)
			.set("sun.gc.collector.1.lastExitTime", 8_000_000_000L)
			.writeTo(this.file);

		assertThat(probe().currentPause(PID)).isEmpty();
	}

	@Test
	void safepointSeenToBeginIsAPauseUntilItEnds() throws IOException {
		PerfDataImage data = serialJvm(ByteOrder.BIG_ENDIAN).writeTo(this.file);
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
		PerfDataImage data = serialJvm(ByteOrder.LITTLE_ENDIAN).set("sun.gc.collector.1.lastEntryTime", 9_000_000_000L)
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
		PerfDataImage data = serialJvm(ByteOrder.LITTLE_ENDIAN).set("sun.gc.collector.1.lastEntryTime", 9_000_000_000L)
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
	void fileShorterThanAPrologueIsReportedWithItsSize() throws IOException {
		Files.write(this.file, new byte[HsPerfData.PROLOGUE_SIZE - 1]);

		assertThat(probe().currentPause(PID)).isEmpty();
		assertThat(this.notices).containsExactly("Pause awareness cannot see instance PID " + PID + ": " + this.file
				+ " is 31 bytes long, not a HotSpot performance data file; its health-check deadlines are not"
				+ " extended for pauses (sam.health-check.pause-grace)");
	}

	@Test
	void fileOfAnotherVersionIsReportedWithIt() throws IOException {
		serialJvm(ByteOrder.LITTLE_ENDIAN).writeTo(this.file);
		try (FileChannel channel = FileChannel.open(this.file, StandardOpenOption.WRITE)) {
			channel.write(ByteBuffer.wrap(new byte[] { 1 }), 5);
		}

		assertThat(probe().currentPause(PID)).isEmpty();
		assertThat(this.notices).containsExactly("Pause awareness cannot see instance PID " + PID + ": " + this.file
				+ " has performance data version 1, SAM reads version 2 (JDK 1.5 and later); its health-check"
				+ " deadlines are not extended for pauses (sam.health-check.pause-grace)");
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
	void fileReplacedWhileNotInAPauseIsSeenAtTheNextRecheck() throws IOException {
		serialJvm(ByteOrder.LITTLE_ENDIAN).writeTo(this.file);
		HotSpotPauseProbe probe = probe();
		assertThat(probe.currentPause(PID)).isEmpty();

		Files.delete(this.file);
		// In a collection that began a second before the recheck.
		serialJvm(ByteOrder.LITTLE_ENDIAN)
			.set("sun.gc.collector.0.lastEntryTime", 9_000_000_000L + HotSpotPauseProbe.RECHECK_NANOS)
			.writeTo(this.file);
		advance(HotSpotPauseProbe.RECHECK_NANOS / 2_000_000);
		assertThat(probe.currentPause(PID)).as("the old mapping, believed until the recheck").isEmpty();
		advance(HotSpotPauseProbe.RECHECK_NANOS / 2_000_000);
		assertThat(probe.currentPause(PID)).as("the new file, looked at again").contains(Duration.ofSeconds(1));
		assertThat(this.notices).isEmpty();
	}

	@Test
	void fileWithoutTheCountersIsReported() throws IOException {
		new PerfDataImage(ByteOrder.LITTLE_ENDIAN).set("sun.os.hrt.frequency", 1_000_000_000L).writeTo(this.file);

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
	private static PerfDataImage serialJvm(ByteOrder order) {
		return new PerfDataImage(order).common()
			.string("sun.gc.collector.0.name", "Serial young collection pauses")
			.set("sun.gc.collector.0.lastEntryTime", 2_000_000_000L)
			.set("sun.gc.collector.0.lastExitTime", 2_100_000_000L)
			.string("sun.gc.collector.1.name", "Serial full collection pauses")
			.set("sun.gc.collector.1.lastEntryTime", 0)
			.set("sun.gc.collector.1.lastExitTime", 0);
	}

}
