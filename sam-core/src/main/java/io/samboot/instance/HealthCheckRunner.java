package io.samboot.instance;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.samboot.CheckResult;
import io.samboot.HealthCheckCallback;
import io.samboot.HealthCheckListener;
import io.samboot.protocol.Message;
import io.samboot.protocol.Message.HealthCheckResult.Outcome;

/**
 * Runs the event-driven health check when the supervisor asks, one at a time, within the
 * configured timeout, and sends the answer. A request that arrives while a check still
 * runs is answered as a timeout right away, so a check that hangs is reported as hanging
 * rather than silently piling up threads.
 *
 * <p>
 * The check runs on the thread that calls {@link #run}, and that thread writes the
 * answer: the connection's reader runs the check itself, so a request crosses no thread
 * between arriving and being answered. A watchdog thread tells the connection to hand
 * reading over to another thread when a check outlasts the hand-off time (at most the
 * timeout), and answers TIMEOUT when it overruns the timeout; the check goes on in the
 * background until it ends (requests meanwhile are told the previous check is still
 * running).
 *
 * <p>
 * The watchdog must not be woken for each check: waking a thread is what the reader
 * avoids by running the check itself. So between checks it sleeps until about when the
 * next check would need it (two hand-off times after the last one began), and a new check
 * wakes it only if it would otherwise look later than that, or has gone idle after a
 * quiet spell. With the hand-off time at the supervisor's request period, that costs one
 * wake-up per check, off the path of the answer, and a slow check is handed over within
 * two hand-off times, long before the supervisor, which waits a whole time interval, asks
 * for a thread dump.
 */
public final class HealthCheckRunner implements InstanceConnection.HealthCheckRequests {

	private static final Runnable NOTHING_TO_HAND_OFF = () -> {
	};

	private final Supplier<HealthCheckCallback> callback;

	private final Duration timeout;

	private final long timeoutNanos;

	/** How long a check runs before reading is handed over: at most the timeout. */
	private final long handOffNanos;

	private final Consumer<Message> answers;

	private final HealthCheckListener listener;

	private final AtomicBoolean running = new AtomicBoolean();

	private volatile long runningSince;

	/**
	 * The check being run and not yet answered by the watchdog, for the watchdog;
	 * {@code null} when none.
	 */
	private volatile Check current;

	private volatile Thread watchdog;

	/** When the latest check began; set before {@link #current}. */
	private volatile long lastStart;

	/** When the watchdog, in a timed sleep, means to look next. */
	private volatile long watchdogWakeAt;

	/**
	 * Set while the watchdog waits for a check with no deadline to watch: a new check
	 * must wake it.
	 */
	private volatile boolean watchdogIdle;

	private volatile boolean shutdown;

	/** Only for {@link #onRequest}, which runs checks on a thread of their own. */
	private ExecutorService checks;

	/**
	 * @param callback the check to run, looked up for each request
	 * @param timeout how long a check may run before it is answered TIMEOUT
	 * @param handOffAfter how long a check may run before frames arriving meanwhile are
	 * read by another thread (the supervisor's request period; capped at the timeout)
	 * @param answers sends an answer to the supervisor
	 * @param listener told of every check's outcome
	 */
	public HealthCheckRunner(Supplier<HealthCheckCallback> callback, Duration timeout, Duration handOffAfter,
			Consumer<Message> answers, HealthCheckListener listener) {
		this.callback = callback;
		this.timeout = timeout;
		this.timeoutNanos = timeout.toNanos();
		this.handOffNanos = Math.max(0, Math.min(handOffAfter.toNanos(), this.timeoutNanos));
		this.answers = answers;
		this.listener = listener;
	}

	/**
	 * Called on the channel's reader thread; never blocks.
	 * @return {@code true} when a check must now be run with {@link #run} (on a thread
	 * that may block for as long as the check takes); {@code false} when the request was
	 * answered already, as a timeout because the previous check still runs
	 */
	@Override
	public boolean begin(Message.HealthCheckRequest request) {
		if (!this.running.compareAndSet(false, true)) {
			long runningNanos = System.nanoTime() - this.runningSince;
			answer(request.sequence(), Outcome.TIMEOUT, "health check",
					"the previous check has been running for " + Duration.ofNanos(runningNanos).toMillis() + "ms",
					runningNanos);
			return false;
		}
		this.runningSince = System.nanoTime();
		return true;
	}

	/**
	 * Runs the check that {@link #begin} accepted and answers from this thread, unless it
	 * overran the timeout (then the watchdog has answered TIMEOUT and this result is
	 * dropped).
	 * @param handOffReading called by the watchdog if the check outlasts the hand-off
	 * time
	 */
	@Override
	public void run(Message.HealthCheckRequest request, Runnable handOffReading) {
		long start = System.nanoTime();
		Check check = new Check(request.sequence(), start, this.timeoutNanos, this.handOffNanos, handOffReading);
		watch(check);
		CheckResult result = null;
		Throwable failure = null;
		try {
			HealthCheckCallback registered = this.callback.get();
			result = (registered != null) ? registered.check() : CheckResult.up();
		}
		catch (Throwable ex) {
			failure = ex;
		}
		this.current = null;
		boolean inTime = check.claim();
		// Finished before answering: a request that arrives right after the answer must
		// run a new check,
		// not be told that this one is still running.
		this.running.set(false);
		if (!inTime) {
			// The watchdog answered TIMEOUT when the timeout passed; this late result is
			// not sent.
			return;
		}
		if (failure != null) {
			String reason = failure.getClass().getSimpleName()
					+ ((failure.getMessage() != null) ? ": " + failure.getMessage() : "");
			answer(request.sequence(), Outcome.ERROR, "health check", reason, System.nanoTime() - start);
			this.listener.onCheck(HealthCheckListener.Outcome.ERROR, Duration.ofNanos(System.nanoTime() - start),
					CheckResult.down("health check", reason));
		}
		else if (result == null || result.healthy()) {
			answer(request.sequence(), Outcome.UP, null, null, System.nanoTime() - start);
			this.listener.onCheck(HealthCheckListener.Outcome.UP, Duration.ofNanos(System.nanoTime() - start),
					CheckResult.up());
		}
		else {
			answer(request.sequence(), Outcome.DOWN, result.check(), result.reason(), System.nanoTime() - start);
			this.listener.onCheck(HealthCheckListener.Outcome.DOWN, Duration.ofNanos(System.nanoTime() - start),
					result);
		}
	}

	/**
	 * Called on the channel's reader thread: never blocks. Runs the check on a thread of
	 * its own (one hand-off more than a reader that calls {@link #begin} and {@link #run}
	 * itself).
	 */
	public void onRequest(Message.HealthCheckRequest request) {
		if (begin(request)) {
			ExecutorService executor;
			synchronized (this) {
				if (this.checks == null) {
					this.checks = Executors.newSingleThreadExecutor(daemon("sam-health-check"));
				}
				executor = this.checks;
			}
			executor.execute(() -> run(request, NOTHING_TO_HAND_OFF));
		}
	}

	private void watch(Check check) {
		this.lastStart = check.start;
		this.current = check;
		Thread thread = this.watchdog;
		if (thread == null) {
			synchronized (this) {
				if (this.watchdog == null) {
					Thread started = daemon("sam-health-check-timer").newThread(this::watchLoop);
					this.watchdog = started;
					started.start();
				}
			}
		}
		else if (this.watchdogIdle || this.watchdogWakeAt - check.latestLook > 0) {
			// Idle, or asleep past the latest moment this check may need it. Both read
			// after current is set, which the watchdog reads again before it sleeps.
			LockSupport.unpark(thread);
		}
	}

	/**
	 * The watchdog: has reading handed over when the running check outlasts the hand-off
	 * time, answers TIMEOUT when it overruns the timeout, and sleeps until the next check
	 * would need it.
	 */
	private void watchLoop() {
		while (!this.shutdown) {
			Check check = this.current;
			long now = System.nanoTime();
			long wakeAt;
			if (check != null && !check.answered.get()) {
				if (!check.handedOff && now - check.handOffAt >= 0) {
					check.handedOff = true;
					check.handOffReading.run();
				}
				if (now - check.deadline >= 0) {
					timedOut(check);
					continue;
				}
				wakeAt = check.handedOff ? check.deadline : check.handOffAt;
			}
			else {
				wakeAt = this.lastStart + 2 * this.handOffNanos;
				if (now - wakeAt >= 0) {
					// A quiet spell: sleep until watch() wakes us (it reads watchdogIdle
					// after setting current).
					this.watchdogIdle = true;
					if (this.current == check && !this.shutdown) {
						LockSupport.park(this);
					}
					this.watchdogIdle = false;
					continue;
				}
			}
			this.watchdogWakeAt = wakeAt;
			if (this.current == check && !this.shutdown) {
				LockSupport.parkNanos(this, wakeAt - now);
			}
		}
	}

	private void timedOut(Check check) {
		if (check.claim()) {
			long nanos = System.nanoTime() - check.start;
			String reason = "did not finish within " + this.timeout.toMillis() + "ms";
			answer(check.sequence, Outcome.TIMEOUT, "health check", reason, nanos);
			this.listener.onCheck(HealthCheckListener.Outcome.TIMEOUT, Duration.ofNanos(nanos),
					CheckResult.down("health check", reason));
			// The check goes on in the background; the next request is answered as a
			// timeout until it ends.
		}
	}

	private void answer(long sequence, Outcome outcome, String check, String reason, long nanos) {
		try {
			this.answers.accept(new Message.HealthCheckResult(sequence, outcome, check, reason, nanos));
		}
		catch (RuntimeException ex) {
			// The channel is gone; the reader thread reports that.
		}
	}

	public void shutdown() {
		this.shutdown = true;
		Thread thread = this.watchdog;
		if (thread != null) {
			LockSupport.unpark(thread);
		}
		synchronized (this) {
			if (this.checks != null) {
				this.checks.shutdownNow();
			}
		}
	}

	private static java.util.concurrent.ThreadFactory daemon(String name) {
		return runnable -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		};
	}

	/** One check: answered exactly once, by the thread that ran it or by the watchdog. */
	private static final class Check {

		final long sequence;

		final long start;

		final long deadline;

		final long handOffAt;

		/**
		 * The latest the watchdog may look at this check: two hand-off times after it
		 * began, but no later than its deadline.
		 */
		final long latestLook;

		final Runnable handOffReading;

		/** Touched only by the watchdog. */
		boolean handedOff;

		final AtomicBoolean answered = new AtomicBoolean();

		Check(long sequence, long start, long timeoutNanos, long handOffNanos, Runnable handOffReading) {
			this.sequence = sequence;
			this.start = start;
			this.deadline = start + timeoutNanos;
			this.handOffAt = start + handOffNanos;
			this.latestLook = start + Math.min(2 * handOffNanos, timeoutNanos);
			this.handOffReading = handOffReading;
		}

		boolean claim() {
			return this.answered.compareAndSet(false, true);
		}

	}

}
