package io.samboot.supervisor;

import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

import io.samboot.nativeaccess.NativeAccess;

/**
 * An instance's exit status, completed on a thread of its own that waits for that child
 * and nothing else.
 *
 * <p>
 * Not {@code Process.onExit()} or {@code ProcessHandle.onExit()}: both complete on a new
 * thread for every exit when the common pool has one thread (two CPUs), and otherwise on
 * a pool thread that may have to be started again, so a crash's detection would wait for
 * a thread to be made. The thread here waits in the kernel for the child itself
 * ({@link NativeAccess#awaitChildExit}, which reaps nothing) and so learns of the exit as
 * soon as the JDK's reaper does, not after it; where that call is missing or fails, it
 * waits as the JDK lets it.
 */
final class ChildExit {

	private ChildExit() {
	}

	/**
	 * The exit status of a child this JVM started, which the JDK reaps.
	 * @param os asked first; must be called right after the launch, while the PID cannot
	 * belong to another process (the JDK reaps the child only once it has ended)
	 */
	static CompletableFuture<Integer> of(Process process, int instanceId, NativeAccess os) {
		return waitOn(instanceId, os, () -> {
			try {
				return os.awaitChildExit(process.pid());
			}
			catch (RuntimeException ex) {
				// No such call here, or the JDK reaped the child first: it has the
				// status.
			}
			while (true) {
				try {
					return process.waitFor();
				}
				catch (InterruptedException ex) {
					// Nobody interrupts this thread on purpose; the exit must be
					// reported.
				}
			}
		});
	}

	/**
	 * The exit status of instance 1 as the lean supervisor JVM sees it: a child it did
	 * not start, so the JDK does not reap it; this thread reaps it once it has ended.
	 * Where it can read the status without reaping it, it completes the future first and
	 * reaps after, so the loop, which may look at the ended child itself at the same
	 * moment ({@link ExitAtClose}), either finds it still waitable or finds the status
	 * here already.
	 */
	static CompletableFuture<Integer> ofAdopted(long pid, int instanceId, NativeAccess os) {
		CompletableFuture<Integer> exit = new CompletableFuture<>();
		start(instanceId, os, exit, () -> {
			int status;
			try {
				status = os.awaitChildExit(pid);
			}
			catch (RuntimeException ex) {
				// Without the call: the JDK tells when a process it did not start ends.
				ProcessHandle.of(pid).map(ProcessHandle::onExit).ifPresent(CompletableFuture::join);
				exit.complete(os.waitpidNoHang(pid).orElse(1));
				return;
			}
			exit.complete(status);
			os.waitpidNoHang(pid);
		});
		return exit;
	}

	private static CompletableFuture<Integer> waitOn(int instanceId, NativeAccess os, IntSupplier status) {
		CompletableFuture<Integer> exit = new CompletableFuture<>();
		start(instanceId, os, exit, () -> exit.complete(status.getAsInt()));
		return exit;
	}

	/**
	 * Runs {@code waiting} on a daemon thread of its own; what it throws completes
	 * {@code exit} exceptionally, unless {@code exit} is complete already. The thread
	 * runs at the lowest priority ({@link BackgroundThreads}): it wakes at the same
	 * moment as the loop, which takes a connected instance's exit itself
	 * ({@link ExitAtClose}), and should not hold the loop from a CPU then. The exit of an
	 * instance that never connected comes through here alone, when a CPU is free.
	 */
	private static void start(int instanceId, NativeAccess os, CompletableFuture<Integer> exit, Runnable waiting) {
		Thread waiter = new Thread(() -> {
			BackgroundThreads.lowerCallingThread(os);
			try {
				waiting.run();
			}
			catch (RuntimeException ex) {
				exit.completeExceptionally(ex);
			}
		}, "sam-instance-" + instanceId + "-exit");
		waiter.setDaemon(true);
		waiter.start();
	}

}
