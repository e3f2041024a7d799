package io.samboot.corosync;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.samboot.testsupport.CorosyncNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link CorosyncQuorumSource} against the real corosync 3 daemon: a one-node cluster
 * with {@code expected_votes: 2} is inquorate until {@code corosync-quorumtool -e 1}, and
 * inquorate again after {@code corosync-cfgtool -R} reloads the configuration.
 */
@ResourceLock(CorosyncNode.LOCK)
@ExtendWith(CorosyncNode.MachineLock.class)
@Tag("process")
@Tag("corosync")
class CorosyncQuorumSourceProcessTests {

	private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(10);

	/** corosync's log time, e.g. {@code Nov 22 03:54:03.703}. */
	private static final Pattern LOG_TIME = Pattern.compile("^\\w{3} +\\d+ (\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ");

	@TempDir
	Path dir;

	private final BlockingQueue<Report> reports = new LinkedBlockingQueue<>();

	private final List<String> log = new CopyOnWriteArrayList<>();

	private CorosyncNode node;

	private CorosyncQuorumSource source;

	record Report(boolean quorate, long nanos, Instant at) {
	}

	@BeforeEach
	void requireCorosync() {
		CorosyncNode.assumeUsable();
	}

	@AfterEach
	void stop() {
		if (this.source != null) {
			this.source.close();
		}
		if (this.node != null) {
			this.node.close();
		}
	}

	@Test
	void followsTheQuorumOfTheRealDaemon() throws Exception {
		this.node = CorosyncNode.start(this.dir, 2);
		startSource();
		assertThat(next().quorate()).as("initial state of a node that expects 2 votes").isFalse();

		long before = System.nanoTime();
		run("corosync-quorumtool", "-e", "1");
		long toolDone = System.nanoTime();
		Report quorate = next();
		assertThat(quorate.quorate()).isTrue();
		System.out.printf(
				"quorum notification: %.2f ms after corosync-quorumtool -e 1 started, %.2f ms after it"
						+ " exited, %s ms after corosync logged the change%n",
				(quorate.nanos() - before) / 1e6, (quorate.nanos() - toolDone) / 1e6,
				sinceLogged("within the primary component", quorate));

		before = System.nanoTime();
		run("corosync-cfgtool", "-R");
		Report lost = next();
		assertThat(lost.quorate()).isFalse();
		System.out.printf(
				"quorum loss notification: %.2f ms after corosync-cfgtool -R started, %s ms after corosync"
						+ " logged the change%n",
				(lost.nanos() - before) / 1e6, sinceLogged("non-primary component", lost));

		assertThat(this.reports.poll(200, TimeUnit.MILLISECONDS)).as("no repeated reports").isNull();
		assertThat(this.log).as("nothing to warn about").isEmpty();
	}

	/**
	 * The same quorum loss seen by corosync's libsam (its server kills its child: the
	 * child prints the monotonic clock on SIGTERM) and by this source (the monotonic
	 * clock at the report).
	 */
	@Test
	void hearsQuorumLossAsSoonAsLibsamDoes() throws Exception {
		LibsamProgram libsam = LibsamProgram.compile(this.dir);
		this.node = CorosyncNode.start(this.dir.resolve("node"), 2);
		run("corosync-quorumtool", "-e", "1");
		startSource();
		assertThat(next().quorate()).isTrue();
		try (LibsamProgram.Run sam = libsam.start("restart", 0, true)) {
			assertThat(sam.command("start")).startsWith("ok ");
			long before = System.nanoTime();
			run("corosync-cfgtool", "-R");
			Report lost = next();
			assertThat(lost.quorate()).isFalse();
			String warned = null;
			for (int i = 0; i < 10 && (warned == null || !warned.startsWith("sigterm ")); i++) {
				warned = sam.line(Duration.ofSeconds(5));
			}
			assertThat(warned).as("libsam's child got its warning signal").startsWith("sigterm ");
			long libsamNanos = Long.parseLong(warned.substring("sigterm ".length()).trim());
			System.out.printf("quorum loss: this source reported it %.2f ms after corosync-cfgtool -R started;"
					+ " libsam's child got its SIGTERM %.2f ms after; the report came %.2f ms %s libsam's warning%n",
					(lost.nanos() - before) / 1e6, (libsamNanos - before) / 1e6,
					Math.abs(libsamNanos - lost.nanos()) / 1e6, (lost.nanos() <= libsamNanos) ? "before" : "after");
			assertThat(lost.nanos() - libsamNanos).as("not later than libsam by more than 5 ms")
				.isLessThan(Duration.ofMillis(5).toNanos());
		}
	}

	@Test
	void aLostDaemonCountsAsInquorateAndIsReconnected() throws Exception {
		this.node = CorosyncNode.start(this.dir.resolve("first"), 1);
		startSource();
		assertThat(next().quorate()).isTrue();

		long stopping = System.nanoTime();
		this.node.stop();
		Report lost = next();
		assertThat(lost.quorate()).isFalse();
		System.out.printf("daemon stopped: not quorate %.0f ms after SIGTERM%n", (lost.nanos() - stopping) / 1e6);
		await().untilAsserted(() -> assertThat(this.log).anySatisfy(line -> assertThat(line)
			.contains("lost the connection to corosync's quorum service", "counts as not quorate")));

		long starting = System.nanoTime();
		this.node = CorosyncNode.start(this.dir.resolve("second"), 1);
		Report back = next();
		assertThat(back.quorate()).isTrue();
		System.out.printf("daemon restarted: quorate again %.0f ms after starting it%n",
				(back.nanos() - starting) / 1e6);
		await().untilAsserted(() -> assertThat(this.log)
			.anySatisfy(line -> assertThat(line).contains("reached corosync's quorum service")));
	}

	@Test
	void startsWithoutADaemonAndReportsOnceOneRuns() throws Exception {
		startSource();
		assertThat(next().quorate()).as("no daemon: not quorate at once").isFalse();
		await().untilAsserted(() -> assertThat(this.log).singleElement()
			.asString()
			.contains("cannot connect to corosync's quorum service", "CS_ERR_LIBRARY (2)"));

		this.node = CorosyncNode.start(this.dir, 1);
		assertThat(next().quorate()).isTrue();
	}

	@Test
	void closeEndsTheThreadAndDisconnects() throws Exception {
		this.node = CorosyncNode.start(this.dir, 2);
		startSource();
		assertThat(next().quorate()).isFalse();
		long closing = System.nanoTime();
		this.source.close();
		assertThat(this.source.terminated()).isTrue();
		System.out.printf("close() took %.0f ms%n", (System.nanoTime() - closing) / 1e6);
		run("corosync-quorumtool", "-e", "1");
		assertThat(this.node.quorate()).isTrue();
		assertThat(this.reports.poll(300, TimeUnit.MILLISECONDS)).as("nothing after close").isNull();
	}

	/**
	 * Milliseconds from corosync's log line (its wall clock, millisecond resolution) to
	 * the report, or "?" when the line is not there.
	 */
	private String sinceLogged(String text, Report report) {
		Matcher matcher = null;
		for (String line : this.node.log().lines().toList()) {
			Matcher candidate = LOG_TIME.matcher(line);
			if (line.contains(text) && candidate.find()) {
				matcher = candidate;
			}
		}
		if (matcher == null) {
			return "?";
		}
		LocalTime logged = LocalTime.parse(matcher.group(1));
		LocalTime reported = LocalTime.ofInstant(report.at(), ZoneId.systemDefault());
		return Long.toString(Duration.between(logged, reported).toMillis());
	}

	private void startSource() {
		this.source = new CorosyncQuorumSource(CorosyncLibraries.quorum(CorosyncLibraries.DEFAULT_QUORUM),
				ListLog.to(this.log), CorosyncQuorumSource.defaultBackoff());
		this.source.start(quorate -> this.reports.add(new Report(quorate, System.nanoTime(), Instant.now())));
	}

	private Report next() throws InterruptedException {
		Report report = this.reports.poll(REPORT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(report).as("a quorum report within " + REPORT_TIMEOUT + "; log " + this.log).isNotNull();
		return report;
	}

	private static void run(String... command) {
		CorosyncNode.CommandResult result = CorosyncNode.run(Duration.ofSeconds(10), command);
		assertThat(result.exitCode()).as(result.toString()).isZero();
	}

}
