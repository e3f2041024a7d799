package io.samboot.bench;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The least a supervisor that re-launches the application can cost at its first start: a
 * JVM that starts its arguments as a child with the same standard streams, and waits for
 * it. The start section runs the unsupervised command behind it, so that its figures tell
 * what starting a second JVM costs by itself (this JVM's own start and the launch) from
 * what SAM adds to that.
 *
 * <p>
 * A SIGTERM reaches the child through a shutdown hook, as a supervisor's stop would, so
 * that closing it stops the application gracefully.
 */
public final class BareLauncher {

	private BareLauncher() {
	}

	public static void main(String[] args) throws Exception {
		// The hook is there before the child, and waits for the launch to finish, so that
		// a SIGTERM never finds a child it cannot stop.
		CompletableFuture<Process> child = new CompletableFuture<>();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(child), "bare-launcher-stop"));
		try {
			child.complete(new ProcessBuilder(args).inheritIO().start());
		}
		catch (IOException | RuntimeException ex) {
			child.completeExceptionally(ex);
			throw ex;
		}
		System.exit(child.join().waitFor());
	}

	private static void stop(CompletableFuture<Process> launching) {
		try {
			Process child = launching.get(20, TimeUnit.SECONDS);
			child.destroy();
			child.waitFor(20, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// No child to stop.
		}
	}

}
