package io.samboot.supervisor;

import java.time.Duration;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.samboot.log.SamLog;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.nativeaccess.NativeAccessException;
import io.samboot.supervisor.InstanceLauncher.LaunchedInstance;

/**
 * An instance's exit taken on the loop's own thread, right after its connection closed.
 * The kernel closes a dying JVM's sockets before it reports the process ended (0.1-3 ms
 * later on a two-CPU VM, while it tears down the JVM's memory), so the loop reads the
 * closed connection first. Instead of going back to its selector until the thread that
 * waits for the process posts the exit and wakes it, the loop waits for the exit itself
 * ({@link NativeAccess#awaitChildExit(long, Duration)}, a {@code pidfd}), woken by the
 * kernel at the same moment as that thread. Where it finds the child still waitable (the
 * adopted instance 1, which its {@link ChildExit} thread reaps only after telling its
 * status), the exit crosses no thread between the kernel and the decision; a hand-off
 * took up to a millisecond on a busy machine. Where another thread reaped the child first
 * (the JDK's reaper, for an instance this JVM started, reaps it as the kernel wakes it),
 * the status is asked of that thread's side, which has it within microseconds.
 *
 * <p>
 * The waiting thread still posts the exit; the loop drops that copy of an exit it took
 * here. Used on the loop's thread only.
 */
final class ExitAtClose {

	/**
	 * How long the loop waits for a process whose connection closed, and then for the
	 * status from the thread that reaped it: several times what tearing down the sample
	 * application's JVM took (0.1-3 ms; an exit that takes longer comes as before,
	 * posted), all that a connection closed by a live instance costs the loop, and twice
	 * of it still short of the shortest absence the loop reports as not being scheduled
	 * (25 ms).
	 */
	static final Duration WAIT = Duration.ofMillis(10);

	private final NativeAccess os;

	private final SamLog log;

	/** Exits taken here whose posted copies are still to come. */
	private final Set<Integer> taken = new HashSet<>();

	/** No such call here (an old kernel, no JNA): the posted exits do it all. */
	private boolean unavailable;

	ExitAtClose(NativeAccess os, SamLog log) {
		this.os = os;
		this.log = log;
	}

	/**
	 * Waits up to {@link #WAIT} for the instance whose connection just closed to end, and
	 * as long again for its status where another thread reaped it.
	 * @return its exit status; empty if it still runs, or if its end is left to the
	 * thread that waits for it (which then posts it)
	 */
	OptionalInt await(SupervisedInstance instance) {
		// Most often the thread that waits for it has it already (the JDK's reaper, or
		// instance 1's waiting thread): then the kernel is not asked, and the call that
		// would fail with "reaped already" (an exception, 30-170 us, more at a first
		// crash) is not made.
		OptionalInt known = knownAlready(instance.launched);
		if (known.isPresent()) {
			this.taken.add(instance.id);
			return known;
		}
		if (this.unavailable) {
			return OptionalInt.empty();
		}
		OptionalInt status;
		try {
			status = this.os.awaitChildExit(instance.pid, WAIT);
		}
		catch (NativeAccessException ex) {
			if (ex.isNoSuchProcess()) {
				status = fromReaper(instance.launched);
			}
			else if (ex.isOutOfResources()) {
				// Passing (no descriptor or memory to spare now): the posted exit decides
				// this time.
				this.log
					.debug("the exit of " + instance + " is left to the thread that waits for it: " + ex.getMessage());
				return OptionalInt.empty();
			}
			else {
				this.unavailable = true;
				this.log
					.debug("instances' exits are learned from the threads that wait for them only: " + ex.getMessage());
				return OptionalInt.empty();
			}
		}
		if (status.isPresent()) {
			this.taken.add(instance.id);
		}
		return status;
	}

	/**
	 * The status that the thread waiting for the child holds already: the question
	 * {@link #fromReaper} asks, without its wait, and without the exception that a
	 * zero-wait {@code get} of an unfinished future throws (what this saves the crash
	 * path is an exception).
	 */
	static OptionalInt knownAlready(LaunchedInstance launched) {
		if (launched == null) {
			return OptionalInt.empty();
		}
		if (launched.process() != null) {
			return launched.process().isAlive() ? OptionalInt.empty() : OptionalInt.of(launched.process().exitValue());
		}
		CompletableFuture<Integer> exit = launched.exit();
		return (exit.isDone() && !exit.isCompletedExceptionally()) ? OptionalInt.of(exit.join()) : OptionalInt.empty();
	}

	/**
	 * The status of a child another thread reaped already: the JDK's, whose reaper stores
	 * it right after reaping, or the waiting thread's.
	 */
	private static OptionalInt fromReaper(LaunchedInstance launched) {
		if (launched == null) {
			return OptionalInt.empty();
		}
		try {
			if (launched.process() != null) {
				return launched.process().waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)
						? OptionalInt.of(launched.process().exitValue()) : OptionalInt.empty();
			}
			return OptionalInt.of(launched.exit().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
		}
		catch (InterruptedException ex) {
			// Nobody interrupts the loop on purpose (its next turn clears the flag); the
			// posted exit decides.
			Thread.currentThread().interrupt();
			return OptionalInt.empty();
		}
		catch (ExecutionException | TimeoutException ex) {
			return OptionalInt.empty();
		}
	}

	/**
	 * Whether this instance's exit was taken here already, which makes its posted exit a
	 * copy; asked once per posted exit.
	 */
	boolean takenAlready(int instanceId) {
		return this.taken.remove(instanceId);
	}

}
