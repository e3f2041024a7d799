package io.samboot.corosync;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.samboot.log.SamLog;
import io.samboot.supervisor.QuorumSource;

/**
 * corosync's quorum, tracked on a thread of its own ({@code sam-corosync-quorum}, with
 * the large stack corosync's dispatch needs).
 *
 * <p>
 * The thread connects ({@code quorum_initialize}), asks for every change
 * ({@code quorum_trackstart(CS_TRACK_CHANGES)}, which also sends the current state),
 * reports that state first, then waits on the connection's descriptor with {@code poll}
 * and reports each change as {@code quorum_dispatch} delivers it, within a millisecond or
 * so of corosync's notification. Values are reported only when they differ from the last
 * one reported.
 *
 * <p>
 * When the daemon cannot be reached, keeps answering "try again" while it starts, or
 * drops the connection (it stopped or restarted), the cluster counts as not quorate, and
 * the thread tries again after 50 ms, doubling up to 2 s; every new problem is logged
 * once, and so is the recovery.
 */
public final class CorosyncQuorumSource implements QuorumSource {

	/**
	 * How long one {@code poll} waits, and so how long {@link #close()} may take to be
	 * noticed.
	 */
	static final int POLL_MILLIS = 100;

	/**
	 * How long to wait for the notification {@code quorum_trackstart} sends, before
	 * asking instead.
	 */
	private static final Duration FIRST_NOTIFICATION = Duration.ofSeconds(1);

	private final QuorumLibrary library;

	private final SamLog log;

	private final Backoff backoff;

	private final Object pause = new Object();

	private volatile boolean closing;

	private Thread thread;

	private Consumer<Boolean> changes;

	/** The last value reported; only the tracking thread touches it. */
	private Boolean reported;

	private boolean notified;

	CorosyncQuorumSource(QuorumLibrary library, SamLog log, Backoff backoff) {
		this.library = library;
		this.log = log;
		this.backoff = backoff;
	}

	/**
	 * A source on {@code libquorum.so.5} (or {@code -Dsam.corosync.quorum-library}),
	 * logging to the supervisor's log.
	 * @throws CorosyncUnavailableException if JNA or the library is missing
	 */
	public static CorosyncQuorumSource create() {
		return new CorosyncQuorumSource(CorosyncLibraries.quorum(CorosyncLibraries.quorumName()),
				SamLog.get(CorosyncClusterServices.class), defaultBackoff());
	}

	static Backoff defaultBackoff() {
		return new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2));
	}

	@Override
	public synchronized void start(Consumer<Boolean> changes) {
		Objects.requireNonNull(changes, "changes");
		if (this.thread != null) {
			throw new IllegalStateException("the quorum source is already started");
		}
		if (this.closing) {
			throw new IllegalStateException("the quorum source is closed");
		}
		this.changes = changes;
		this.thread = NativeThreads.create("sam-corosync-quorum", this::track);
		this.thread.start();
	}

	/** Stops tracking; waits briefly for the thread to finalize its connection. */
	@Override
	public void close() {
		this.closing = true;
		synchronized (this.pause) {
			this.pause.notifyAll();
		}
		Thread tracker;
		synchronized (this) {
			tracker = this.thread;
		}
		if (tracker != null && tracker != Thread.currentThread()) {
			try {
				tracker.join(TimeUnit.MILLISECONDS.toMillis(3L * POLL_MILLIS));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** Whether the tracking thread has ended (after {@link #close()}). */
	boolean terminated() {
		Thread tracker;
		synchronized (this) {
			tracker = this.thread;
		}
		return tracker == null || !tracker.isAlive();
	}

	private void track() {
		String problem = null;
		boolean warnedNoProvider = false;
		while (!this.closing) {
			QuorumConnection connection;
			try {
				this.notified = false;
				connection = this.library.connect(quorate -> {
					this.notified = true;
					report(quorate != 0);
				});
			}
			catch (RuntimeException | LinkageError ex) {
				report(false);
				problem = logOnce(problem, "cannot connect to corosync's quorum service (" + ex.getMessage()
						+ "): the cluster counts as not quorate until it can; retrying");
				pause(this.backoff.next());
				continue;
			}
			try {
				connection.trackChanges();
				awaitFirstNotification(connection);
				if (!warnedNoProvider && connection.quorumType() == QuorumConnection.QUORUM_FREE) {
					warnedNoProvider = true;
					this.log.warn("corosync has no quorum provider (add quorum { provider: corosync_votequorum } to"
							+ " corosync.conf): it reports the cluster as always quorate");
				}
				if (problem != null) {
					this.log.info("reached corosync's quorum service: the cluster is "
							+ (Boolean.TRUE.equals(this.reported) ? "quorate" : "not quorate"));
					problem = null;
				}
				this.backoff.reset();
				while (!this.closing) {
					switch (connection.await(POLL_MILLIS)) {
						case READABLE -> connection.dispatchAll();
						case HANGUP -> throw new CorosyncException("poll() on the quorum connection (hang-up)",
								CsError.CS_ERR_LIBRARY.code());
						case TIMEOUT -> {
						}
					}
				}
			}
			catch (RuntimeException | LinkageError ex) {
				if (!this.closing) {
					report(false);
					problem = logOnce(problem, "lost the connection to corosync's quorum service (" + ex.getMessage()
							+ "): the cluster counts as not quorate; reconnecting");
					pause(this.backoff.next());
				}
			}
			finally {
				connection.close();
			}
		}
	}

	/**
	 * {@code quorum_trackstart} queues the current state; take it, or ask if it does not
	 * come.
	 */
	private void awaitFirstNotification(QuorumConnection connection) {
		long deadline = System.nanoTime() + FIRST_NOTIFICATION.toNanos();
		while (!this.notified && !this.closing) {
			long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
			if (left <= 0) {
				report(connection.quorate());
				return;
			}
			if (connection.await((int) Math.min(left, POLL_MILLIS)) == QuorumConnection.Readiness.READABLE) {
				connection.dispatchAll();
			}
		}
	}

	private String logOnce(String previous, String message) {
		if (!message.equals(previous)) {
			this.log.warn(message);
		}
		return message;
	}

	private void report(boolean quorate) {
		if (this.closing || Boolean.valueOf(quorate).equals(this.reported)) {
			return;
		}
		this.reported = quorate;
		try {
			this.changes.accept(quorate);
		}
		catch (RuntimeException ex) {
			this.log.warn("the quorum listener failed: " + ex);
		}
	}

	private void pause(Duration duration) {
		long deadline = System.nanoTime() + duration.toNanos();
		synchronized (this.pause) {
			long left;
			while (!this.closing && (left = deadline - System.nanoTime()) > 0) {
				try {
					TimeUnit.NANOSECONDS.timedWait(this.pause, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

}
