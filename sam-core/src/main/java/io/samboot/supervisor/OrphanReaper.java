package io.samboot.supervisor;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

import io.samboot.InstanceRecord;
import io.samboot.log.SamLog;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.nativeaccess.NativeAccessException;

/**
 * Reaps the orphaned processes that end up as children of the supervisor, so that none
 * stays a zombie: the job of PID 1 in a container
 * ({@code ENTRYPOINT ["java", "-jar", ...]} makes the supervisor PID 1), and of a child
 * subreaper elsewhere.
 *
 * <p>
 * On Linux the supervisor makes itself a child subreaper
 * ({@code PR_SET_CHILD_SUBREAPER}), so that processes the instance started and left
 * behind (a daemonising script, the children of a killed instance) are re-parented to the
 * supervisor rather than to PID 1 (or to systemd), even when the supervisor is not PID 1;
 * it then reaps them ({@link LeftoverKiller} kills those still running when their
 * instance ended). A daemon thread sleeps in the kernel until some child of the
 * supervisor has ended ({@link NativeAccess#awaitEndedChild()}, which leaves it
 * waitable), so an idle supervisor's reaper never wakes; then, {@value #PERIOD_MILLIS} ms
 * later or {@value #POKED_SCAN_DELAY_MILLIS} ms after it is {@linkplain #poke() poked}
 * (after each instance ends), it scans {@code /proc} for children in state {@code Z}, if
 * any child is still waitable ({@link NativeAccess#endedChild()}), and reaps each with
 * {@code waitpid(pid, WNOHANG)}: never {@code waitpid(-1)}, which would take the
 * instances' exit statuses away from the JDK. Without that call it looks every
 * {@value #PERIOD_MILLIS} ms.
 *
 * <p>
 * Two guards keep it away from processes the JDK waits for itself: the instances (PIDs
 * told by {@link #instanceLaunched}, forgotten by {@link #instanceEnded}, plus any given
 * predicate) are never touched, and a zombie is reaped only when it was already a zombie
 * one period earlier. A child started with {@link ProcessBuilder} is reaped by the JDK's
 * own thread the moment it ends, so it is never seen as a zombie twice; only a child
 * nobody waits for is.
 */
public final class OrphanReaper implements SupervisorListener, AutoCloseable {

	/**
	 * Orphans only hold a PID slot until reaped, so seconds do not matter; every scan
	 * reads one file per supervisor thread, which every 500 ms was a quarter of the idle
	 * supervisor's CPU.
	 */
	static final long PERIOD_MILLIS = 2000;

	/**
	 * How long a scan asked for after an instance ended waits: the loop is then deciding
	 * and launching the next instance, and on two CPUs a scan (a file read per supervisor
	 * thread, interpreted code) run at once took the loop's CPU for up to 1.8 ms of that.
	 */
	static final long POKED_SCAN_DELAY_MILLIS = 100;

	private final SamLog log = SamLog.get(OrphanReaper.class);

	private final NativeAccess os;

	private final long self;

	private final LongPredicate isInstance;

	private final Set<Long> instances = ConcurrentHashMap.newKeySet();

	private final ChildProcesses children;

	private final LongSupplier nanoTime;

	private final long periodNanos;

	private final Semaphore pokes = new Semaphore(0);

	private final AtomicLong reaped = new AtomicLong();

	private final AtomicLong scans = new AtomicLong();

	/**
	 * Zombies seen by earlier scans, with when they were first seen; only the reaper
	 * thread uses it.
	 */
	private Map<Long, Long> zombiesSeen = new HashMap<>();

	private boolean failureLogged;

	/** Whether {@link NativeAccess#awaitEndedChild()} failed once; then never again. */
	private boolean cannotAwait;

	private volatile boolean closed;

	private Thread thread;

	OrphanReaper(NativeAccess os, LongPredicate isInstance, ChildProcesses children, LongSupplier nanoTime,
			Duration period) {
		this.os = os;
		this.self = os.getpid();
		this.isInstance = isInstance;
		this.children = children;
		this.nanoTime = nanoTime;
		this.periodNanos = period.toNanos();
	}

	/**
	 * Starts reaping when the supervisor needs to: it is PID 1, or it could make itself a
	 * child subreaper (Linux with JNA). Logs once what it does, or why it cannot.
	 * @param os the native calls ({@code prctl}, {@code waitpid})
	 * @return the running reaper, to be added to the loop's listeners; empty when not
	 * needed
	 */
	public static Optional<OrphanReaper> startIfNeeded(NativeAccess os) {
		return startIfNeeded(os, pid -> false, os.getpid() == 1);
	}

	/**
	 * As {@link #startIfNeeded(NativeAccess)}; {@code actAsInit} makes it reap as PID 1
	 * does, whatever this process's PID (tests, which cannot be PID 1).
	 * @param isInstance PIDs never to reap, besides the instances the listener methods
	 * are told about
	 */
	static Optional<OrphanReaper> startIfNeeded(NativeAccess os, LongPredicate isInstance, boolean actAsInit) {
		SamLog log = SamLog.get(OrphanReaper.class);
		if (!ChildProcesses.procAvailable()) {
			return Optional.empty();
		}
		if (!os.isNative()) {
			if (actAsInit) {
				log.warn("the supervisor is PID 1 but cannot reap orphaned processes without native access: they will"
						+ " stay zombies; add net.java.dev.jna:jna, or run the container with an init"
						+ " (docker run --init, tini)");
			}
			return Optional.empty();
		}
		String why;
		if (actAsInit) {
			why = "the supervisor is PID 1";
		}
		else {
			boolean subreaper;
			try {
				subreaper = os.setChildSubreaper();
			}
			catch (NativeAccessException ex) {
				log.warn("cannot adopt the instance's orphaned processes: " + ex.getMessage());
				return Optional.empty();
			}
			if (!subreaper) {
				return Optional.empty();
			}
			why = "the supervisor is a child subreaper: processes the instance leaves behind become its children";
		}
		OrphanReaper reaper = new OrphanReaper(os, isInstance, ChildProcesses.proc(), System::nanoTime,
				Duration.ofMillis(PERIOD_MILLIS));
		reaper.start();
		log.info("reaping orphaned processes (" + why + ")");
		return Optional.of(reaper);
	}

	/** Starts the reaper thread. */
	void start() {
		Thread reaper = new Thread(this::run, "sam-orphan-reaper");
		reaper.setDaemon(true);
		this.thread = reaper;
		reaper.start();
	}

	private void run() {
		// Orphans wait a scan period anyway; the reaper wakes at every instance's exit,
		// and should not hold the loop from a CPU then.
		BackgroundThreads.lowerCallingThread(this.os);
		while (!this.closed) {
			// Asleep in the kernel until some child has ended (at once without children
			// or without the call), then a period's pause: whoever waits for that child
			// (the JDK for an instance) takes it first.
			awaitEndedChild();
			boolean poked;
			try {
				poked = this.pokes.tryAcquire(this.periodNanos, TimeUnit.NANOSECONDS);
				if (poked && !this.closed) {
					Thread.sleep(POKED_SCAN_DELAY_MILLIS);
				}
				this.pokes.drainPermits();
			}
			catch (InterruptedException ex) {
				return;
			}
			if (!this.closed) {
				try {
					turn(poked);
				}
				catch (RuntimeException ex) {
					logFailure("scanning /proc for orphaned processes failed: " + ex);
				}
			}
		}
	}

	/**
	 * One period's work: a scan when poked or when some child has ended. The scan reads a
	 * file per supervisor thread, the question one system call, which is most of what an
	 * idle supervisor's reaper then costs.
	 */
	void turn(boolean poked) {
		if (poked || anyChildEnded()) {
			scanOnce();
		}
		else if (!this.zombiesSeen.isEmpty()) {
			this.zombiesSeen = new HashMap<>(); // none is a zombie any more
		}
	}

	/**
	 * Waits until some child has ended and waits to be reaped; returns at once when it
	 * cannot wait (no children, no such call).
	 */
	private void awaitEndedChild() {
		if (this.cannotAwait) {
			return;
		}
		try {
			this.os.awaitEndedChild();
		}
		catch (NativeAccessException ex) {
			this.cannotAwait = true;
		}
	}

	/** Whether some child has ended and waits to be reaped; {@code true} when unsure. */
	private boolean anyChildEnded() {
		try {
			return this.os.endedChild().isPresent();
		}
		catch (NativeAccessException ex) {
			return true;
		}
	}

	/** Asks for a scan now rather than at the end of the period. */
	public void poke() {
		this.pokes.release();
	}

	/**
	 * One scan: reaps every zombie child that is not an instance and was a zombie one
	 * period ago.
	 * @return how many were reaped
	 */
	int scanOnce() {
		long now = this.nanoTime.getAsLong();
		this.scans.incrementAndGet();
		Map<Long, Long> stillZombies = new HashMap<>();
		int count = 0;
		List<ChildProcesses.Child> current;
		try {
			current = this.children.of(this.self);
		}
		catch (IOException ex) {
			logFailure("cannot read /proc to find orphaned processes: " + ex);
			return 0;
		}
		for (ChildProcesses.Child child : current) {
			long pid = child.pid();
			if (!child.zombie() || this.instances.contains(pid) || this.isInstance.test(pid)) {
				continue;
			}
			Long firstSeen = this.zombiesSeen.get(pid);
			if (firstSeen == null || now - firstSeen < this.periodNanos) {
				// Maybe the JDK is about to reap it (a ProcessBuilder child): wait one
				// period.
				stillZombies.put(pid, (firstSeen != null) ? firstSeen : now);
				continue;
			}
			switch (reap(child)) {
				case REAPED -> count++;
				case FAILED -> stillZombies.put(pid, firstSeen); // try again next time
				case NOT_A_CHILD -> {
					// someone else's now: forget it
				}
			}
		}
		this.zombiesSeen = stillZombies;
		return count;
	}

	/** What became of a zombie the reaper tried to reap. */
	private enum Outcome {

		REAPED, NOT_A_CHILD, FAILED

	}

	private Outcome reap(ChildProcesses.Child child) {
		OptionalInt status;
		try {
			status = this.os.waitpidNoHang(child.pid());
		}
		catch (NativeAccessException | IllegalArgumentException ex) {
			logFailure(
					"cannot reap orphaned process " + child.pid() + " (" + child.command() + "): " + ex.getMessage());
			return Outcome.FAILED;
		}
		if (status.isEmpty()) {
			return Outcome.NOT_A_CHILD;
		}
		if (this.reaped.incrementAndGet() == 1) {
			this.log.info("reaped orphaned process " + child.pid() + " (" + child.command() + "), exit status "
					+ status.getAsInt() + "; later orphans are reaped without a log line");
		}
		return Outcome.REAPED;
	}

	private void logFailure(String message) {
		if (!this.failureLogged) {
			this.failureLogged = true;
			this.log.warn(message + "; orphaned processes may stay zombies (further failures are not logged)");
		}
	}

	/** How many orphans were reaped so far. */
	public long reapedCount() {
		return this.reaped.get();
	}

	long scans() {
		return this.scans.get();
	}

	// ---- listener
	// ----------------------------------------------------------------------------

	@Override
	public void instanceLaunched(int instanceId, long pid) {
		this.instances.add(pid);
	}

	@Override
	public void instanceEnded(InstanceRecord record) {
		// It has ended: the JDK or its ChildExit thread reaps it at about this moment (a
		// poked scan waits POKED_SCAN_DELAY_MILLIS), and its children may be orphans now.
		this.instances.remove(record.pid());
		poke();
	}

	@Override
	public void supervisorExiting(int status, boolean failed) {
		close();
	}

	/**
	 * Stops the reaper thread after its current scan, or, if it sleeps in the kernel
	 * waiting for a child to end, when the next one does (it is a daemon thread, and a
	 * closed reaper reaps nothing more).
	 */
	@Override
	public void close() {
		this.closed = true;
		poke();
	}

	@Override
	public String toString() {
		return "orphan reaper of pid " + this.self + ((this.thread != null) ? "" : " (not started)");
	}

}
