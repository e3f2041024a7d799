package io.samboot.supervisor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.samboot.log.SamLog;
import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.Message;
import io.samboot.protocol.MessageCodec;
import io.samboot.protocol.ProtocolException;
import io.samboot.supervisor.ControlChannel.DataSink;

/**
 * The connection to the authenticated instance: its non-blocking channel, read by the
 * connection's reader thread ({@link #readFrames}), the frames its socket has not taken
 * yet (the head may be partly written) and the writer thread that finishes them.
 *
 * <p>
 * {@link #send} writes a frame at once from the calling thread (the loop), under a lock,
 * and only what the socket does not take now goes to a writer thread, started the first
 * time that happens, which waits until the socket takes more. So a small frame crosses no
 * thread, and the loop never blocks on a peer that stopped reading. Data stores are kept
 * and answered by the reader thread through the {@link DataSink}, without waking the
 * loop.
 *
 * <p>
 * The reader waits for input in a selector of its own; the writer waits for room in
 * another, opened the first time the socket's buffer is full. {@link #close} wakes both.
 */
final class PeerConnection {

	/**
	 * Longest wait of the writer for a socket that takes nothing before it looks again.
	 */
	private static final long WRITABLE_WAIT_MILLIS = 1000;

	private final int instanceId;

	private final SocketChannel channel;

	private final FrameChannel frames;

	private final Selector readSelector;

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
	 * Makes the channel non-blocking, for the instance that passed the handshake on it.
	 * @param frames the channel's frames, already at the instance's frame limit
	 */
	PeerConnection(int instanceId, SocketChannel channel, FrameChannel frames) throws IOException {
		this.instanceId = instanceId;
		this.channel = channel;
		this.frames = frames;
		channel.configureBlocking(false);
		this.readSelector = Selector.open();
		try {
			channel.register(this.readSelector, SelectionKey.OP_READ);
		}
		catch (IOException | RuntimeException ex) {
			this.readSelector.close();
			throw ex;
		}
		frames.readWait(this::awaitReadable);
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
		this.readSelector.wakeup();
		Selector selector = this.writeSelector;
		if (selector != null) {
			selector.wakeup();
		}
	}

	/**
	 * The reader thread, until the connection closes: turns frames into
	 * {@link SupervisorEvent}s, except data stores the sink answers, then reports the
	 * disconnection.
	 * @param dataSink the sink of the moment (it may be set after the instance
	 * connected), read per frame
	 */
	void readFrames(Supplier<DataSink> dataSink, Consumer<SupervisorEvent> events, SamLog log) {
		try {
			while (true) {
				Message message = this.frames.read();
				if (message == null) {
					break;
				}
				DataSink sink = dataSink.get();
				if (sink != null && message instanceof Message.DataStore store) {
					// Kept and answered here: the instance waits for this answer, the
					// loop needs only the bytes.
					Message.Reply reply = sink.store(this.instanceId, store.data());
					if (reply != null) {
						send(reply);
						continue;
					}
				}
				events.accept(new SupervisorEvent.Received(this.instanceId, message));
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
		finally {
			close();
			closeReadSelector();
			events.accept(new SupervisorEvent.Disconnected(this.instanceId));
		}
	}

	private void closeReadSelector() {
		try {
			this.readSelector.close();
		}
		catch (IOException ex) {
			// Only releases a file descriptor; nothing else depends on it.
		}
	}

	private void awaitReadable() throws IOException {
		this.readSelector.select();
		this.readSelector.selectedKeys().clear();
		if (!this.channel.isOpen()) {
			throw new ClosedChannelException();
		}
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
