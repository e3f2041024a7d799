package io.samboot.corosync;

import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * A {@link QuorumLibrary} the test steers: it decides whether connecting works, which
 * notifications arrive and when the daemon hangs up; {@code quorum_trackstart} queues the
 * current state, as corosync does.
 */
final class FakeQuorum implements QuorumLibrary {

	private static final Object HANGUP = new Object();

	volatile boolean quorate;

	/** connect() fails with this {@code cs_error_t} (0: it works). */
	volatile int refuse;

	final List<String> calls = new CopyOnWriteArrayList<>();

	private volatile Connection current;

	@Override
	public QuorumConnection connect(IntConsumer notifications) {
		this.calls.add("quorum_initialize");
		if (this.refuse != 0) {
			throw new CorosyncException("quorum_initialize()", this.refuse);
		}
		Connection connection = new Connection(notifications);
		this.current = connection;
		return connection;
	}

	@Override
	public String name() {
		return "fake libquorum";
	}

	/** The cluster's quorum changes: a notification for the connected client. */
	void change(boolean quorate) {
		this.quorate = quorate;
		Connection connection = this.current;
		if (connection != null) {
			connection.events.add(quorate ? 1 : 0);
		}
	}

	/** The daemon goes away: the connection hangs up and new ones are refused. */
	void die() {
		this.refuse = CsError.CS_ERR_LIBRARY.code();
		Connection connection = this.current;
		if (connection != null) {
			connection.events.add(HANGUP);
		}
	}

	private final class Connection implements QuorumConnection {

		private final IntConsumer notifications;

		final BlockingDeque<Object> events = new LinkedBlockingDeque<>();

		private boolean hungUp;

		Connection(IntConsumer notifications) {
			this.notifications = notifications;
		}

		@Override
		public int quorumType() {
			return 1;
		}

		@Override
		public void trackChanges() {
			FakeQuorum.this.calls.add("quorum_trackstart");
			this.events.add(FakeQuorum.this.quorate ? 1 : 0);
		}

		@Override
		public boolean quorate() {
			return FakeQuorum.this.quorate;
		}

		@Override
		public Readiness await(int timeoutMillis) {
			try {
				Object next = this.events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
				if (next == null) {
					return Readiness.TIMEOUT;
				}
				if (next == HANGUP) {
					this.hungUp = true;
					return Readiness.HANGUP;
				}
				// Back in front: dispatchAll() delivers it, in order.
				this.events.offerFirst(next);
				return Readiness.READABLE;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return Readiness.TIMEOUT;
			}
		}

		@Override
		public void dispatchAll() {
			if (this.hungUp) {
				throw new CorosyncException("quorum_dispatch(CS_DISPATCH_ALL)", CsError.CS_ERR_LIBRARY.code());
			}
			Object event;
			while ((event = this.events.poll()) != null) {
				if (event == HANGUP) {
					throw new CorosyncException("quorum_dispatch(CS_DISPATCH_ALL)", CsError.CS_ERR_LIBRARY.code());
				}
				this.notifications.accept((Integer) event);
			}
		}

		@Override
		public void close() {
			FakeQuorum.this.calls.add("quorum_finalize");
		}

	}

}
