package io.samboot.instance;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.samboot.CheckResult;
import io.samboot.HealthCheckCallback;
import io.samboot.HealthCheckListener;
import io.samboot.protocol.Message;
import io.samboot.protocol.Message.HealthCheckResult;
import io.samboot.protocol.Message.HealthCheckResult.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HealthCheckRunner}: the answers for checks that pass, fail, throw and overrun,
 * one check at a time, and the answer written by the thread that ran the check.
 */
class HealthCheckRunnerTests {

	private static final long WAIT_SECONDS = 10;

	private final LinkedBlockingQueue<Answer> answers = new LinkedBlockingQueue<>();

	private final List<HealthCheckListener.Outcome> heard = new CopyOnWriteArrayList<>();

	private final AtomicReference<HealthCheckCallback> callback = new AtomicReference<>();

	private HealthCheckRunner runner;

	private final LinkedBlockingQueue<Long> handOffs = new LinkedBlockingQueue<>();

	private HealthCheckRunner runner(Duration timeout) {
		return runner(timeout, timeout);
	}

	private HealthCheckRunner runner(Duration timeout, Duration handOffAfter) {
		this.runner = new HealthCheckRunner(this.callback::get, timeout, handOffAfter,
				message -> this.answers.add(new Answer((HealthCheckResult) message, Thread.currentThread())),
				new HealthCheckListener() {
					@Override
					public void onCheck(HealthCheckListener.Outcome outcome, Duration duration, CheckResult result) {
						HealthCheckRunnerTests.this.heard.add(outcome);
					}
				});
		return this.runner;
	}

	@AfterEach
	void shutdown() {
		if (this.runner != null) {
			this.runner.shutdown();
		}
	}

	@Test
	void aPassingCheckIsAnsweredUpByTheThreadThatRanIt() throws InterruptedException {
		HealthCheckRunner runner = runner(Duration.ofSeconds(5));
		this.callback.set(CheckResult::up);
		Message.HealthCheckRequest request = new Message.HealthCheckRequest(7);

		assertThat(runner.begin(request)).isTrue();
		runner.run(request, this::handOff);

		Answer answer = next();
		assertThat(answer.result().sequence()).isEqualTo(7);
		assertThat(answer.result().outcome()).isEqualTo(Outcome.UP);
		assertThat(answer.thread()).isSameAs(Thread.currentThread());
		assertThat(this.heard).containsExactly(HealthCheckListener.Outcome.UP);
	}

	@Test
	void noCallbackCountsAsUp() throws InterruptedException {
		HealthCheckRunner runner = runner(Duration.ofSeconds(5));
		Message.HealthCheckRequest request = new Message.HealthCheckRequest(1);

		assertThat(runner.begin(request)).isTrue();
		runner.run(request, this::handOff);

		assertThat(next().result().outcome()).isEqualTo(Outcome.UP);
	}

	@Test
	void aFailedCheckIsAnsweredDownWithItsCheckAndReason() throws InterruptedException {
		HealthCheckRunner runner = runner(Duration.ofSeconds(5));
		this.callback.set(() -> CheckResult.down("db", "no connection"));
		Message.HealthCheckRequest request = new Message.HealthCheckRequest(2);

		runner.begin(request);
		runner.run(request, this::handOff);

		HealthCheckResult result = next().result();
		assertThat(result.outcome()).isEqualTo(Outcome.DOWN);
		assertThat(result.check()).isEqualTo("db");
		assertThat(result.reason()).isEqualTo("no connection");
		assertThat(this.heard).containsExactly(HealthCheckListener.Outcome.DOWN);
	}

	@Test
	void aCheckThatThrowsIsAnsweredErrorAndTheNextCheckRuns() throws InterruptedException {
		HealthCheckRunner runner = runner(Duration.ofSeconds(5));
		this.callback.set(() -> {
			throw new IllegalStateException("boom");
		});
		Message.HealthCheckRequest first = new Message.HealthCheckRequest(3);
		runner.begin(first);
		runner.run(first, this::handOff);

		HealthCheckResult result = next().result();
		assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
		assertThat(result.reason()).isEqualTo("IllegalStateException: boom");
		this.callback.set(CheckResult::up);
		assertThat(runner.begin(new Message.HealthCheckRequest(4))).isTrue();
	}

	@Test
	void aCheckThatOverrunsItsTimeoutIsAnsweredTimeoutOnceAndRequestsMeanwhileAreToldItStillRuns()
			throws InterruptedException {
		HealthCheckRunner runner = runner(Duration.ofMillis(100));
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch entered = new CountDownLatch(1);
		this.callback.set(() -> {
			entered.countDown();
			release.await();
			return CheckResult.up();
		});
		Message.HealthCheckRequest slow = new Message.HealthCheckRequest(10);
		assertThat(runner.begin(slow)).isTrue();
		Thread checkThread = new Thread(() -> runner.run(slow, this::handOff), "test-check");
		checkThread.start();
		assertThat(entered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

		Answer timedOut = next();
		assertThat(timedOut.result().sequence()).isEqualTo(10);
		assertThat(timedOut.result().outcome()).isEqualTo(Outcome.TIMEOUT);
		assertThat(timedOut.result().reason()).isEqualTo("did not finish within 100ms");
		assertThat(timedOut.result().durationNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
		assertThat(timedOut.thread()).isNotSameAs(checkThread);

		assertThat(runner.begin(new Message.HealthCheckRequest(11))).isFalse();
		HealthCheckResult meanwhile = next().result();
		assertThat(meanwhile.sequence()).isEqualTo(11);
		assertThat(meanwhile.outcome()).isEqualTo(Outcome.TIMEOUT);
		assertThat(meanwhile.reason()).startsWith("the previous check has been running for ");

		release.countDown();
		checkThread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
		assertThat(checkThread.isAlive()).isFalse();
		// The late result of the overrun check is not sent: the watchdog already answered
		// for it.
		assertThat(this.answers).isEmpty();
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(WAIT_SECONDS))
			.untilAsserted(() -> assertThat(this.heard).containsExactly(HealthCheckListener.Outcome.TIMEOUT));

		Message.HealthCheckRequest next = new Message.HealthCheckRequest(12);
		assertThat(runner.begin(next)).isTrue();
		runner.run(next, this::handOff);
		HealthCheckResult fresh = next().result();
		assertThat(fresh.sequence()).isEqualTo(12);
		assertThat(fresh.outcome()).isEqualTo(Outcome.UP);
		assertThat(this.answers).isEmpty();
	}

	@Test
	void checksThatFinishInTimeNeverGetATimeoutAnswerLater() throws InterruptedException {
		HealthCheckRunner runner = runner(Duration.ofMillis(30));
		this.callback.set(CheckResult::up);
		for (int i = 0; i < 20; i++) {
			Message.HealthCheckRequest request = new Message.HealthCheckRequest(i);
			assertThat(runner.begin(request)).isTrue();
			runner.run(request, this::handOff);
			assertThat(next().result().outcome()).isEqualTo(Outcome.UP);
		}
		// Past every deadline: the watchdog has looked at them and must have said
		// nothing.
		Answer late = this.answers.poll(100, TimeUnit.MILLISECONDS);
		assertThat(late).isNull();
	}

	@Test
	void onRequestRunsTheCheckOnAThreadOfItsOwn() throws InterruptedException {
		HealthCheckRunner runner = runner(Duration.ofSeconds(5));
		this.callback.set(CheckResult::up);

		runner.onRequest(new Message.HealthCheckRequest(5));

		Answer answer = next();
		assertThat(answer.result().outcome()).isEqualTo(Outcome.UP);
		assertThat(answer.thread().getName()).isEqualTo("sam-health-check");
	}

	@Test
	void aCheckThatOutlastsTheHandOffTimeHasReadingHandedOverOnceWhileItRuns() throws InterruptedException {
		HealthCheckRunner runner = runner(Duration.ofSeconds(30), Duration.ofMillis(50));
		SlowCheck slow = slowCheck(runner, 20);

		assertThat(slow.handedOffAfter()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
		assertThat(this.answers).isEmpty();
		slow.finish();
		assertThat(next().result().outcome()).isEqualTo(Outcome.UP);
		assertThat(this.handOffs.poll(150, TimeUnit.MILLISECONDS)).isNull();
	}

	@Test
	void aSlowCheckAfterQuickOnesIsHandedOverWithinTwoHandOffTimes() throws InterruptedException {
		HealthCheckRunner runner = runner(Duration.ofSeconds(30), Duration.ofMillis(200));
		this.callback.set(CheckResult::up);
		for (int i = 0; i < 5; i++) {
			Message.HealthCheckRequest quick = new Message.HealthCheckRequest(30 + i);
			assertThat(runner.begin(quick)).isTrue();
			runner.run(quick, this::handOff);
			assertThat(next().result().outcome()).isEqualTo(Outcome.UP);
		}
		// The watchdog now sleeps until two hand-off times after the last check began;
		// the slow check must still be handed over in time, not only when it wakes.
		SlowCheck slow = slowCheck(runner, 40);
		try {
			assertThat(slow.handedOffAfter()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
			assertThat(this.handOffs).as("only the slow check was handed over").isEmpty();
		}
		finally {
			slow.finish();
		}
	}

	@Test
	void quickChecksAreNeverHandedOver() throws InterruptedException {
		HealthCheckRunner runner = runner(Duration.ofSeconds(30), Duration.ofMillis(20));
		this.callback.set(CheckResult::up);
		for (int i = 0; i < 20; i++) {
			Message.HealthCheckRequest request = new Message.HealthCheckRequest(50 + i);
			assertThat(runner.begin(request)).isTrue();
			runner.run(request, this::handOff);
			assertThat(next().result().outcome()).isEqualTo(Outcome.UP);
		}
		assertThat(this.handOffs.poll(100, TimeUnit.MILLISECONDS)).isNull();
	}

	/**
	 * Runs a check that blocks until {@link SlowCheck#finish}, on a thread of its own.
	 */
	private SlowCheck slowCheck(HealthCheckRunner runner, long sequence) {
		CountDownLatch release = new CountDownLatch(1);
		this.callback.set(() -> {
			release.await();
			return CheckResult.up();
		});
		Message.HealthCheckRequest request = new Message.HealthCheckRequest(sequence);
		assertThat(runner.begin(request)).isTrue();
		long started = System.nanoTime();
		Thread thread = new Thread(() -> runner.run(request, this::handOff), "test-check");
		thread.start();
		return new SlowCheck(started, release, thread);
	}

	private void handOff() {
		this.handOffs.add(System.nanoTime());
	}

	private Answer next() throws InterruptedException {
		Answer answer = this.answers.poll(WAIT_SECONDS, TimeUnit.SECONDS);
		assertThat(answer).as("an answer within %ds", WAIT_SECONDS).isNotNull();
		return answer;
	}

	private record Answer(HealthCheckResult result, Thread thread) {
	}

	private final class SlowCheck {

		private final long started;

		private final CountDownLatch release;

		private final Thread thread;

		SlowCheck(long started, CountDownLatch release, Thread thread) {
			this.started = started;
			this.release = release;
			this.thread = thread;
		}

		/** How long after the check began reading was handed over. */
		Duration handedOffAfter() throws InterruptedException {
			Long handedOffAt = HealthCheckRunnerTests.this.handOffs.poll(WAIT_SECONDS, TimeUnit.SECONDS);
			assertThat(handedOffAt).as("a hand-off while the check runs").isNotNull();
			return Duration.ofNanos(handedOffAt - this.started);
		}

		void finish() throws InterruptedException {
			this.release.countDown();
			this.thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
		}

	}

}
