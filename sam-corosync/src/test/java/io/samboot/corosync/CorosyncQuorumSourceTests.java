package io.samboot.corosync;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/** {@link CorosyncQuorumSource}'s tracking on a {@link FakeQuorum}. */
class CorosyncQuorumSourceTests {

	private final FakeQuorum quorum = new FakeQuorum();

	private final List<String> log = new CopyOnWriteArrayList<>();

	private final BlockingQueue<Boolean> reports = new LinkedBlockingQueue<>();

	private final CorosyncQuorumSource source = new CorosyncQuorumSource(this.quorum, ListLog.to(this.log),
			new Backoff(Duration.ofMillis(1), Duration.ofMillis(10)));

	@AfterEach
	void close() {
		this.source.close();
	}

	@Test
	void reportsTheInitialStateThenEveryChangeOnce() throws Exception {
		this.quorum.quorate = true;
		this.source.start(this.reports::add);
		assertThat(next()).isTrue();
		this.quorum.change(true);
		this.quorum.change(false);
		this.quorum.change(false);
		this.quorum.change(true);
		assertThat(next()).isFalse();
		assertThat(next()).isTrue();
		assertThat(this.reports.poll(100, TimeUnit.MILLISECONDS)).as("repeats are not reported").isNull();
		assertThat(this.quorum.calls).containsExactly("quorum_initialize", "quorum_trackstart");
	}

	@Test
	void aLostConnectionIsNotQuorateUntilTheDaemonIsBack() throws Exception {
		this.quorum.quorate = true;
		this.source.start(this.reports::add);
		assertThat(next()).isTrue();
		this.quorum.die();
		assertThat(next()).isFalse();
		await().untilAsserted(() -> assertThat(this.log).anySatisfy(line -> assertThat(line)
			.contains("lost the connection to corosync's quorum service", "CS_ERR_LIBRARY (2)")));
		Thread.sleep(50);
		assertThat(this.log).as("one line per problem, however many retries").hasSize(2);
		this.quorum.refuse = 0;
		assertThat(next()).isTrue();
		await()
			.untilAsserted(() -> assertThat(this.log).last().asString().contains("reached corosync's quorum service"));
	}

	@Test
	void closeFinalizesTheConnection() throws Exception {
		this.source.start(this.reports::add);
		assertThat(next()).isFalse();
		this.source.close();
		assertThat(this.source.terminated()).isTrue();
		assertThat(this.quorum.calls).last().isEqualTo("quorum_finalize");
		this.quorum.change(true);
		assertThat(this.reports.poll(50, TimeUnit.MILLISECONDS)).isNull();
	}

	@Test
	void startsOnce() {
		this.source.start(this.reports::add);
		assertThatIllegalStateException().isThrownBy(() -> this.source.start(this.reports::add));
	}

	@Test
	void aThrowingListenerDoesNotStopTracking() throws Exception {
		this.source.start(quorate -> {
			this.reports.add(quorate);
			throw new IllegalStateException("listener bug");
		});
		assertThat(next()).isFalse();
		this.quorum.change(true);
		assertThat(next()).isTrue();
		assertThat(this.log).anySatisfy(line -> assertThat(line).contains("listener bug"));
	}

	private Boolean next() throws InterruptedException {
		Boolean report = this.reports.poll(5, TimeUnit.SECONDS);
		assertThat(report).as("a report; log " + this.log).isNotNull();
		return report;
	}

}
