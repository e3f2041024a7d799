package io.samboot.instance;

import io.samboot.CheckResult;
import io.samboot.HealthCheckCallback;
import io.samboot.HealthCheckListener;
import io.samboot.protocol.Message;
import io.samboot.protocol.Message.HealthCheckResult.Outcome;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs the event-driven health check when the supervisor asks, one at a time, within the
 * configured timeout, and sends the answer. A request that arrives while a check still runs is
 * answered as a timeout right away, so a check that hangs is reported as hanging rather than
 * silently piling up threads.
 */
public final class HealthCheckRunner {

    private final Supplier<HealthCheckCallback> callback;

    private final Duration timeout;

    private final Consumer<Message> answers;

    private final HealthCheckListener listener;

    private final ExecutorService checks = Executors.newSingleThreadExecutor(daemon("sam-health-check"));

    private final ExecutorService waiter = Executors.newSingleThreadExecutor(daemon("sam-health-check-timer"));

    private final AtomicBoolean running = new AtomicBoolean();

    private volatile long runningSince;

    public HealthCheckRunner(Supplier<HealthCheckCallback> callback, Duration timeout, Consumer<Message> answers,
            HealthCheckListener listener) {
        this.callback = callback;
        this.timeout = timeout;
        this.answers = answers;
        this.listener = listener;
    }

    /** Called on the channel's reader thread: never blocks. */
    public void onRequest(Message.HealthCheckRequest request) {
        if (!this.running.compareAndSet(false, true)) {
            long runningNanos = System.nanoTime() - this.runningSince;
            answer(request.sequence(), Outcome.TIMEOUT, "health check",
                    "the previous check has been running for " + Duration.ofNanos(runningNanos).toMillis() + "ms",
                    runningNanos);
            return;
        }
        this.runningSince = System.nanoTime();
        this.waiter.execute(() -> runAndAnswer(request.sequence()));
    }

    private void runAndAnswer(long sequence) {
        long start = System.nanoTime();
        HealthCheckCallback check = this.callback.get();
        Future<CheckResult> future = this.checks.submit(() -> (check != null) ? check.check() : CheckResult.up());
        try {
            CheckResult result = future.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
            // Finished before answering: a request that arrives right after the answer must run a new check,
            // not be told that this one is still running.
            this.running.set(false);
            if (result == null || result.healthy()) {
                answer(sequence, Outcome.UP, null, null, System.nanoTime() - start);
                this.listener.onCheck(HealthCheckListener.Outcome.UP, Duration.ofNanos(System.nanoTime() - start),
                        CheckResult.up());
            }
            else {
                answer(sequence, Outcome.DOWN, result.check(), result.reason(), System.nanoTime() - start);
                this.listener.onCheck(HealthCheckListener.Outcome.DOWN, Duration.ofNanos(System.nanoTime() - start),
                        result);
            }
        }
        catch (TimeoutException ex) {
            String reason = "did not finish within " + this.timeout.toMillis() + "ms";
            answer(sequence, Outcome.TIMEOUT, "health check", reason, System.nanoTime() - start);
            this.listener.onCheck(HealthCheckListener.Outcome.TIMEOUT, Duration.ofNanos(System.nanoTime() - start),
                    CheckResult.down("health check", reason));
            // The check goes on in the background; the next request is answered as a timeout until it ends.
            this.waiter.execute(() -> awaitQuietly(future));
            return;
        }
        catch (java.util.concurrent.ExecutionException ex) {
            this.running.set(false);
            Throwable cause = ex.getCause();
            String reason = cause.getClass().getSimpleName() + ((cause.getMessage() != null) ? ": " + cause.getMessage() : "");
            answer(sequence, Outcome.ERROR, "health check", reason, System.nanoTime() - start);
            this.listener.onCheck(HealthCheckListener.Outcome.ERROR, Duration.ofNanos(System.nanoTime() - start),
                    CheckResult.down("health check", reason));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitQuietly(Future<CheckResult> future) {
        try {
            future.get();
        }
        catch (Exception ex) {
            // Its outcome was already reported as a timeout.
        }
        finally {
            this.running.set(false);
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
        this.checks.shutdownNow();
        this.waiter.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
