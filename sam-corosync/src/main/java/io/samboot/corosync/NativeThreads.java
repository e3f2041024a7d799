package io.samboot.corosync;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Threads for corosync's client calls. {@code quorum_dispatch} and {@code cmap_dispatch}
 * put about 1 MiB on the C stack; on a default Java thread the JVM dies without even an
 * error file. Every thread here asks for {@value #STACK_SIZE} bytes of stack, and every
 * corosync call SAM makes runs on one of them.
 */
final class NativeThreads {

	/** 8 MiB, the usual C default, ample for corosync's 1 MiB dispatch buffers. */
	static final long STACK_SIZE = 8L * 1024 * 1024;

	private NativeThreads() {
	}

	/** A daemon thread with a large stack, not started. */
	static Thread create(String name, Runnable task) {
		Thread thread = new Thread(null, task, name, STACK_SIZE);
		thread.setDaemon(true);
		return thread;
	}

	/**
	 * Runs {@code task} on a fresh large-stack thread and waits at most {@code timeout}
	 * for its result.
	 * @throws TimeoutException if it has not finished by then (the thread is left to
	 * finish on its own)
	 */
	static <T> T call(String name, Duration timeout, Callable<T> task) throws TimeoutException {
		CompletableFuture<T> result = new CompletableFuture<>();
		create(name, () -> {
			try {
				result.complete(task.call());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		}).start();
		try {
			return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for corosync", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(cause);
		}
	}

}
