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
 * answer: the connection's reader hands reading over to a second thread and runs the
 * check itself, so a request crosses no thread between arriving and being answered. A
 * watchdog thread answers TIMEOUT when a check overruns; it wakes at a check's deadline,
 * not for every check, and the check goes on in the background until it ends (requests
 * meanwhile are told the previous check is still running).
 */
public final class HealthCheckRunner implements InstanceConnection.HealthCheckRequests {

	private final Supplier<HealthCheckCallback> callback;

	private final Duration timeout;

	private final long timeoutNanos;

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

	/**
	 * Set while the watchdog waits for a check with no deadline to watch: a new check
	 * must wake it.
	 */
	private volatile boolean watchdogIdle;

	private volatile boolean shutdown;

	/** Only for {@link #onRequest}, which runs checks on a thread of their own. */
	private ExecutorService checks;

	public HealthCheckRunner(Supplier<HealthCheckCallback> callback, Duration timeout, Consumer<Message> answers,
			HealthCheckListener listener) {
		this.callback = callback;
		this.timeout = timeout;
		this.timeoutNanos = timeout.toNanos();
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
	 */
	@Override
	public void run(Message.HealthCheckRequest request) {
		long start = System.nanoTime();
		Check check = new Check(request.sequence(), start, start + this.timeoutNanos);
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
			executor.execute(() -> run(request));
		}
	}

	private void watch(Check check) {
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
		else if (this.watchdogIdle) {
			LockSupport.unpark(thread);
		}
	}

	/**
	 * The watchdog: waits for the deadline of the check that runs, and answers TIMEOUT
	 * when it passes.
	 */
	private void watchLoop() {
		while (!this.shutdown) {
			Check check = this.current;
			if (check == null || check.answered.get()) {
				// Nothing to watch: wait for watch() to wake us (it reads watchdogIdle
				// after setting current).
				this.watchdogIdle = true;
				if (this.current == check && !this.shutdown) {
					LockSupport.park(this);
				}
				this.watchdogIdle = false;
				continue;
			}
			long wait = check.deadline - System.nanoTime();
			if (wait > 0) {
				// A later check has a later deadline: waking for this one costs at most
				// one look.
				LockSupport.parkNanos(this, wait);
				continue;
			}
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

		final AtomicBoolean answered = new AtomicBoolean();

		Check(long sequence, long start, long deadline) {
			this.sequence = sequence;
			this.start = start;
			this.deadline = deadline;
		}

		boolean claim() {
			return this.answered.compareAndSet(false, true);
		}

	}

}
