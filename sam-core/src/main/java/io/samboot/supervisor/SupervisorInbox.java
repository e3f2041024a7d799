package io.samboot.supervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.samboot.log.SamLog;
import io.samboot.supervisor.ControlChannel.DataSink;

/**
 * The supervisor loop's events, and the one thread that both waits for them and reads the
 * instances' sockets: the loop waits in a selector on the admitted
 * {@link PeerConnection}s, so a health-check answer wakes the loop itself, not a reader
 * thread that would then wake it (each hand-off between threads costs 15-20 µs on a small
 * VM, and a thread of its own). Other threads {@link #post} their events to a queue and
 * wake the selector.
 *
 * <p>
 * Each turn reads what the sockets hold before it takes the events posted so far: an
 * instance's last frames, in its socket before its process ended, come before the exit a
 * watcher thread posts (up to {@link #FRAMES_PER_TURN} of them, more than an instance
 * sends as it ends). A connection comes with its {@link SupervisorEvent.Connected}, which
 * the loop sees before anything read from it, and ends with a
 * {@link SupervisorEvent.Disconnected} however it was closed.
 */
final class SupervisorInbox implements SupervisorEvents, AutoCloseable {

	/**
	 * Frames taken from one connection per turn, so an instance that keeps sending cannot
	 * hold the loop from its deadlines.
	 */
	private static final int FRAMES_PER_TURN = 64;

	/**
	 * How long the loop watches for the next data store of a burst before it sleeps.
	 * Waking the loop's thread once it sleeps costs some 25 us on a virtual machine, most
	 * of a small store; an instance that stores in a loop sends the next within a few
	 * microseconds of the answer.
	 */
	private static final long BURST_WATCH_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

	/**
	 * A store that comes within this long of the answer to the one before belongs to a
	 * burst. Isolated stores (the usual case) cost no watching at all; a burst costs at
	 * most one watch that finds nothing, at its end.
	 */
	private static final long BURST_GAP_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

	/** Watching needs another CPU for the instance; with one, it would only delay it. */
	private static final boolean MAY_WATCH = Runtime.getRuntime().availableProcessors() > 1;

	private final SamLog log;

	private final Selector selector;

	private final Queue<SupervisorEvent> posted = new ConcurrentLinkedQueue<>();

	/** Connections admitted by handshake threads, for the loop to start reading. */
	private final Queue<Admission> admitted = new ConcurrentLinkedQueue<>();

	/** Events read or found by the loop's thread, in order; that thread's alone. */
	private final ArrayDeque<SupervisorEvent> ready = new ArrayDeque<>();

	/** The connections read, each key's attachment; the loop's thread's alone. */
	private final List<SelectionKey> reading = new ArrayList<>();

	/**
	 * Connections whose reader holds a whole frame already, which no selector reports:
	 * read on the next turn without waiting; the loop's thread's alone.
	 */
	private final List<PeerConnection> holdingFrames = new ArrayList<>();

	/** Connections read in this turn; the loop's thread's alone. */
	private final List<PeerConnection> readThisTurn = new ArrayList<>();

	/** What the selector does with each readable connection. */
	private final Consumer<SelectionKey> readReady = this::read;

	private volatile DataSink dataSink;

	/**
	 * When the last data store on a command connection was answered, for
	 * {@link #watchForStore}; the loop's thread's alone.
	 */
	private long storeAnsweredNanos;

	/**
	 * Whether stores come in a burst: the one just answered followed the answer to the
	 * one before within {@link #BURST_GAP_NANOS}. Then the loop watches for the next for
	 * a moment ({@link #BURST_WATCH_NANOS}) before it sleeps; the loop's thread's alone.
	 */
	private boolean watchForStore;

	/** A connection to read, and its event: {@code null} for a command connection. */
	private record Admission(PeerConnection peer, SupervisorEvent.Connected connected) {
	}

	private SupervisorInbox(Selector selector, SamLog log) {
		this.selector = selector;
		this.log = log;
	}

	static SupervisorInbox open(SamLog log) throws IOException {
		return new SupervisorInbox(Selector.open(), log);
	}

	@Override
	public void post(SupervisorEvent event) {
		this.posted.add(event);
		this.selector.wakeup();
	}

	/**
	 * Hands a connection that passed its handshake to the loop, from the handshake's
	 * thread: the loop sees {@code connected}, then what the instance sends.
	 */
	void admit(PeerConnection peer, SupervisorEvent.Connected connected) {
		this.admitted.add(new Admission(peer, connected));
		this.selector.wakeup();
	}

	/**
	 * Hands an instance's command connection to the loop, from the handshake's thread:
	 * the loop reads it from now on, with no event of its own.
	 */
	void admitCommands(PeerConnection commands) {
		this.admitted.add(new Admission(commands, null));
		this.selector.wakeup();
	}

	/**
	 * Whether data stores are kept and answered as they are read (a sink is set), which a
	 * command connection needs.
	 */
	boolean keepsDataStores() {
		return this.dataSink != null;
	}

	/**
	 * Where data stores go as they are read, answered without a turn of the loop; without
	 * a sink they arrive as {@link SupervisorEvent.Received}.
	 */
	void dataSink(DataSink sink) {
		this.dataSink = sink;
	}

	/**
	 * A wake-up for the loop's selector, from any thread: a connection closed, and its
	 * disconnection is to be reported.
	 */
	void wakeup() {
		this.selector.wakeup();
	}

	@Override
	public SupervisorEvent next(long nanos) {
		if (this.ready.isEmpty()) {
			// One select, not a look first and a wait then: a readable socket or a
			// wake-up pending (every post makes one) ends the wait at once. Rounded up: a
			// wait cut short would only cost the loop another look at its deadlines.
			turn((nanos <= 0) ? 0 : TimeUnit.NANOSECONDS.toMillis(nanos) + ((nanos % 1_000_000 == 0) ? 0 : 1));
		}
		return this.ready.poll();
	}

	/**
	 * Waits up to {@code millis} (not at all for 0) for a socket to be readable or a
	 * wake-up; then, in this order: what the readable sockets hold, newly admitted
	 * connections, closed ones, and the events posted so far.
	 */
	private void turn(long millis) {
		admitNew();
		// An interrupt would end every select at once; nobody should interrupt the loop.
		Thread.interrupted();
		try {
			// Readable connections are read as the selector finds them (no set of
			// selected keys to fill, walk and clear at every wake-up).
			if (millis == 0 || !this.holdingFrames.isEmpty()) {
				this.selector.selectNow(this.readReady);
			}
			else if (!watchedForStore()) {
				this.selector.select(this.readReady, millis);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("the supervisor's selector failed", ex);
		}
		readHeldFrames();
		if (!this.posted.isEmpty()) {
			// A short read ended the reading, and an event was posted since: what
			// reached the sockets meanwhile (an instance's last frames, before its
			// exit) comes before it.
			for (PeerConnection peer : this.readThisTurn) {
				if (peer.isOpen()) {
					read(peer, true);
				}
			}
		}
		for (PeerConnection peer : this.readThisTurn) {
			if (peer.isOpen() && peer.holdsWholeFrame()) {
				// Stopped at the turn's share with frames read ahead of the socket.
				this.holdingFrames.add(peer);
			}
		}
		this.readThisTurn.clear();
		admitNew();
		reportClosed();
		SupervisorEvent event;
		while ((event = this.posted.poll()) != null) {
			this.ready.add(event);
		}
	}

	private void read(SelectionKey key) {
		if (key.isValid()) {
			read((PeerConnection) key.attachment(), false);
		}
	}

	private void read(PeerConnection peer, boolean toTheEnd) {
		if (!this.readThisTurn.contains(peer)) {
			this.readThisTurn.add(peer);
		}
		peer.readAvailable(this.dataSink, this.ready::add, this.log, FRAMES_PER_TURN, toTheEnd);
		if (peer.commandsOnly() && !toTheEnd) {
			storeAnswered();
		}
	}

	/**
	 * Reads the connections whose frames are already here and that the selector did not
	 * report in this turn: one turn's share per connection and turn. Whichever still hold
	 * frames afterwards are held again at the end of the turn.
	 */
	private void readHeldFrames() {
		for (PeerConnection peer : this.holdingFrames) {
			if (peer.isOpen() && !this.readThisTurn.contains(peer)) {
				read(peer, false);
			}
		}
		this.holdingFrames.clear();
	}

	/**
	 * Notes that a command connection's stores were answered, and whether they come in a
	 * burst.
	 */
	private void storeAnswered() {
		long now = System.nanoTime();
		this.watchForStore = MAY_WATCH && this.storeAnsweredNanos != 0
				&& now - this.storeAnsweredNanos < BURST_GAP_NANOS;
		this.storeAnsweredNanos = now;
	}

	/**
	 * In a burst of stores: watches, for at most {@link #BURST_WATCH_NANOS}, for a socket
	 * to become readable, an event to be posted, a connection to be admitted or one to
	 * close.
	 * @return whether one did, so the turn goes on without waiting (the looks have
	 * cleared any wake-up a post made meanwhile)
	 */
	private boolean watchedForStore() throws IOException {
		if (!this.watchForStore) {
			return false;
		}
		this.watchForStore = false;
		long until = System.nanoTime() + BURST_WATCH_NANOS;
		do {
			// Looked at before the sockets: frames sent before an event was posted (an
			// instance's last, before its exit) are then read in the same turn.
			boolean otherWork = !this.posted.isEmpty() || !this.admitted.isEmpty() || anyClosed();
			if (this.selector.selectNow(this.readReady) > 0 || otherWork) {
				return true;
			}
			Thread.onSpinWait();
		}
		while (System.nanoTime() - until < 0);
		return false;
	}

	/**
	 * Whether a connection read here has closed (its wake-up may have been taken by a
	 * look of {@link #watchedForStore}).
	 */
	private boolean anyClosed() {
		for (SelectionKey key : this.reading) {
			if (!((PeerConnection) key.attachment()).isOpen()) {
				return true;
			}
		}
		return false;
	}

	private void admitNew() {
		Admission admission;
		while ((admission = this.admitted.poll()) != null) {
			PeerConnection peer = admission.peer();
			if (admission.connected() != null) {
				this.ready.add(admission.connected());
			}
			try {
				this.reading.add(peer.channel().register(this.selector, SelectionKey.OP_READ, peer));
				if (peer.holdsWholeFrame()) {
					// Read ahead during the handshake: no selector would report it.
					this.holdingFrames.add(peer);
				}
			}
			catch (ClosedChannelException ex) {
				// Closed before it could be read: it is over at once (a command
				// connection's end is not the instance's).
				if (!peer.commandsOnly()) {
					this.ready.add(new SupervisorEvent.Disconnected(peer.instanceId()));
				}
			}
		}
	}

	private void reportClosed() {
		for (Iterator<SelectionKey> keys = this.reading.iterator(); keys.hasNext();) {
			SelectionKey key = keys.next();
			PeerConnection peer = (PeerConnection) key.attachment();
			if (!peer.isOpen()) {
				key.cancel();
				keys.remove();
				if (!peer.commandsOnly()) {
					this.ready.add(new SupervisorEvent.Disconnected(peer.instanceId()));
				}
			}
		}
	}

	/** Closes the selector; connections still read are closed by their server. */
	@Override
	public void close() {
		try {
			this.selector.close();
		}
		catch (IOException ex) {
			// Only releases file descriptors.
		}
	}

}
