package io.samboot.supervisor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.samboot.SamError;
import io.samboot.log.SamLog;
import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.FrameReader;
import io.samboot.protocol.Message;
import io.samboot.protocol.MessageCodec;
import io.samboot.protocol.ProtocolException;
import io.samboot.supervisor.ControlChannel.DataSink;

/**
 * The connection to the authenticated instance: its non-blocking channel, read on the
 * supervisor loop's own thread when the {@link SupervisorInbox} finds it readable
 * ({@link #readAvailable}), the frames its socket has not taken yet (the head may be
 * partly written) and the writer thread that finishes them.
 *
 * <p>
 * {@link #send} writes a frame at once from the calling thread (the loop), under a lock,
 * and only what the socket does not take now goes to a writer thread, started the first
 * time that happens, which waits until the socket takes more. So neither a request nor
 * its answer crosses a thread in this process, and the loop never blocks on a peer that
 * stopped reading or stopped half-way through a frame. Data stores are kept and answered
 * through the {@link DataSink} as they are read.
 *
 * <p>
 * The writer waits for room in a selector of its own, opened the first time the socket's
 * buffer is full. {@link #close} wakes it, and the loop, which then reports the
 * disconnection.
 */
final class PeerConnection {

	/**
	 * Longest wait of the writer for a socket that takes nothing before it looks again.
	 */
	private static final long WRITABLE_WAIT_MILLIS = 1000;

	private final int instanceId;

	private final SocketChannel channel;

	private final FrameChannel frames;

	private final FrameReader reader;

	/** Wakes the loop, so that it sees the connection closed. */
	private final Runnable closed;

	private final ReentrantLock writeLock = new ReentrantLock();

	private final Condition queued = this.writeLock.newCondition();

	/** Frames not yet fully written, in order; guarded by {@link #writeLock}. */
	private final ArrayDeque<ByteBuffer[]> pending = new ArrayDeque<>();

	/** Guarded by {@link #writeLock}. */
	private boolean open = true;

	/** Guarded by {@link #writeLock}. */
	private Thread writer;

	private volatile Selector writeSelector;

	/**
	 * Whether this is an instance's command connection, which takes only data stores and
	 * whose end is not the instance's.
	 */
	private final boolean commandsOnly;

	/**
	 * The instance's command connection, closed with this one; {@code null} until it
	 * opens one.
	 */
	private volatile PeerConnection commands;

	/**
	 * Makes the channel non-blocking, for the instance that passed the handshake on it.
	 * @param frames the channel's frames, already at the instance's frame limit
	 * @param closed called when the connection closes, from whichever thread closes it
	 */
	PeerConnection(int instanceId, SocketChannel channel, FrameChannel frames, Runnable closed) throws IOException {
		this(instanceId, channel, frames, closed, false);
	}

	private PeerConnection(int instanceId, SocketChannel channel, FrameChannel frames, Runnable closed,
			boolean commandsOnly) throws IOException {
		this.instanceId = instanceId;
		this.channel = channel;
		this.frames = frames;
		this.reader = frames.reader();
		this.closed = closed;
		this.commandsOnly = commandsOnly;
		channel.configureBlocking(false);
	}

	/**
	 * The command connection of the instance connected here, opened with a
	 * {@link Message.CommandHello}: the instance writes its data stores on it and reads
	 * each answer itself, so the answer wakes the thread that waits for it and no other.
	 * It takes nothing but data stores, each kept and answered through the
	 * {@link DataSink} as it is read, and its end is not the instance's: only this
	 * connection's is.
	 * @return the connection, or {@code null} when this instance has one already or this
	 * connection has closed (the caller refuses the new one)
	 */
	PeerConnection attachCommands(SocketChannel channel, FrameChannel frames, Runnable closed) throws IOException {
		synchronized (this) {
			PeerConnection current = this.commands;
			if (this.commandsOnly || !isOpen() || (current != null && current.isOpen())) {
				return null;
			}
			PeerConnection attached = new PeerConnection(this.instanceId, channel, frames, closed, true);
			this.commands = attached;
			// Closed in the meantime: the new one must not outlive it.
			if (!isOpen()) {
				attached.close();
			}
			return attached;
		}
	}

	/**
	 * Whether whole frames were read ahead of the socket and wait in the reader, which no
	 * selector reports.
	 */
	boolean holdsWholeFrame() {
		return this.reader.hasWholeFrame();
	}

	/** Whether this is a command connection, whose end the loop does not hear of. */
	boolean commandsOnly() {
		return this.commandsOnly;
	}

	/** The instance's command connection, or {@code null}. */
	PeerConnection commands() {
		return this.commands;
	}

	SocketChannel channel() {
		return this.channel;
	}

	int instanceId() {
		return this.instanceId;
	}

	boolean isOpen() {
		return this.channel.isOpen();
	}

	/**
	 * Sets the largest frame the instance may send, and a send buffer for frames that
	 * large.
	 */
	void frameLimit(int frameLimit) {
		this.frames.frameLimit(frameLimit);
		FrameChannel.sendBufferFor(this.channel, frameLimit);
	}

	/**
	 * Writes what the socket takes now; queues the rest (and anything behind it) for the
	 * writer thread.
	 */
	void send(Message message) {
		ByteBuffer[] frame = MessageCodec.encodeFrame(message);
		this.writeLock.lock();
		try {
			if (!this.open) {
				return;
			}
			if (this.pending.isEmpty()) {
				try {
					if (!this.frames.writeSome(frame)) {
						return;
					}
				}
				catch (IOException ex) {
					// The reader sees the same failure and reports the disconnection.
					close();
					return;
				}
			}
			this.pending.addLast(frame);
			if (this.writer == null) {
				Thread thread = new Thread(this::drain, "sam-writer-" + this.instanceId);
				thread.setDaemon(true);
				this.writer = thread;
				thread.start();
			}
			else {
				this.queued.signal();
			}
		}
		finally {
			this.writeLock.unlock();
		}
	}

	/**
	 * Frames the socket could not take at once have been queued: whether any still wait.
	 */
	boolean hasPending() {
		this.writeLock.lock();
		try {
			return !this.pending.isEmpty();
		}
		finally {
			this.writeLock.unlock();
		}
	}

	void close() {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// Closing is all that is left to do; the reader then reports the
			// disconnection.
		}
		this.writeLock.lock();
		try {
			this.open = false;
			this.pending.clear();
			this.queued.signalAll();
		}
		finally {
			this.writeLock.unlock();
		}
		Selector selector = this.writeSelector;
		if (selector != null) {
			selector.wakeup();
		}
		PeerConnection companion = this.commands;
		if (companion != null) {
			companion.close();
		}
		this.closed.run();
	}

	/**
	 * Reads what the socket holds now, on the loop's thread, without waiting for more:
	 * each whole frame becomes a {@link SupervisorEvent.Received}, except data stores the
	 * sink answers at once. A frame not yet whole is kept for the next call.
	 * @param dataSink the sink of the moment (it may be set after the instance
	 * connected), or {@code null}
	 * @param maxFrames how many frames to take at most, so a peer that keeps sending
	 * cannot hold the loop; the rest are read on its next turn
	 * @param toTheEnd whether to read until a read finds the socket empty, rather than
	 * stop after a read that came back short: what came meanwhile must be read before an
	 * event posted since (an instance's exit)
	 * @return {@code false} once the connection has ended (the peer closed it, or sent a
	 * malformed frame): it is closed, and the caller reports the disconnection
	 */
	boolean readAvailable(DataSink dataSink, Consumer<SupervisorEvent> events, SamLog log, int maxFrames,
			boolean toTheEnd) {
		try {
			this.reader.directData((dataSink != null) ? dataSink.buffers() : null);
			// After the first frame, another read is made only if the last one filled
			// the reader's buffer: a short read emptied the socket, and the selector
			// reports whatever comes next.
			for (int taken = 0; taken < maxFrames && (taken == 0 || toTheEnd || !this.reader.drained()); taken++) {
				Message message = this.reader.poll();
				if (message == null) {
					break;
				}
				if (this.commandsOnly) {
					if (!SupervisorDataStore.isStore(message)) {
						log.warn("instance " + this.instanceId + " sent " + message.getClass().getSimpleName()
								+ " on its command connection, which takes only data stores; that connection is"
								+ " closed");
						close();
						return false;
					}
					send(keptOrRefused(dataSink, message));
					continue;
				}
				if (dataSink != null && SupervisorDataStore.isStore(message)) {
					// Kept and answered now: the instance waits for this answer, the loop
					// needs only the bytes.
					Message.Reply reply = dataSink.store(this.instanceId, SupervisorDataStore.bytesOf(message));
					if (reply != null) {
						send(reply);
						continue;
					}
				}
				events.accept(new SupervisorEvent.Received(this.instanceId, message));
			}
			if (!this.reader.ended()) {
				return true;
			}
		}
		catch (ProtocolException ex) {
			log.warn("instance " + this.instanceId + " sent a malformed frame (" + ex.getMessage()
					+ "); its control channel is closed");
		}
		catch (IOException ex) {
			// Usually the instance died mid-write (a reset); its exit, which follows, is
			// what gets reported.
		}
		close();
		return false;
	}

	/**
	 * The answer to a data store on the command connection: the sink's, or a refusal when
	 * the sink does not keep this instance's data (it has been replaced, or is ending),
	 * the answer the loop would give.
	 */
	private Message.Reply keptOrRefused(DataSink dataSink, Message store) {
		Message.Reply reply = (dataSink != null) ? dataSink.store(this.instanceId, SupervisorDataStore.bytesOf(store))
				: null;
		if (reply != null) {
			return reply;
		}
		if (dataSink != null) {
			dataSink.discard(store);
		}
		return new Message.Reply(SamError.BAD_HANDLE.name(), "instance " + this.instanceId
				+ "'s data stores are not kept now: it is not the registered active instance");
	}

	/**
	 * The writer thread: writes the queued frames in order, waiting while the socket's
	 * buffer is full.
	 */
	private void drain() {
		try {
			while (true) {
				ByteBuffer[] frame;
				this.writeLock.lock();
				try {
					while (this.open && this.pending.isEmpty()) {
						this.queued.await();
					}
					if (!this.open) {
						return;
					}
					frame = this.pending.peekFirst();
				}
				finally {
					this.writeLock.unlock();
				}
				while (true) {
					this.writeLock.lock();
					try {
						if (!this.open) {
							return;
						}
						if (!this.frames.writeSome(frame)) {
							this.pending.removeFirst();
							break;
						}
					}
					finally {
						this.writeLock.unlock();
					}
					awaitWritable();
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException ex) {
			// The reader sees the same failure and reports the disconnection.
			close();
		}
		finally {
			Selector selector = this.writeSelector;
			if (selector != null) {
				try {
					selector.close();
				}
				catch (IOException ex) {
					// Only releases a file descriptor.
				}
			}
		}
	}

	private void awaitWritable() throws IOException {
		Selector selector = this.writeSelector;
		if (selector == null) {
			selector = Selector.open();
			this.writeSelector = selector;
			this.channel.register(selector, SelectionKey.OP_WRITE);
		}
		selector.select(WRITABLE_WAIT_MILLIS);
		selector.selectedKeys().clear();
	}

}
