package io.samboot.supervisor;

import java.nio.ByteBuffer;

import io.samboot.protocol.DirectDataBuffers;
import io.samboot.protocol.Message;

/**
 * What the supervisor loop needs of the control channel (the {@link ControlServer}, or a
 * fake in tests).
 */
interface ControlChannel extends AutoCloseable {

	String socketPath();

	void expect(int instanceId, byte[] secret);

	void expectPid(int instanceId, long pid);

	void frameLimit(long dataStoreMaxSize);

	void send(int instanceId, Message message);

	/**
	 * Where the connected instance's data stores go as the channel reads them, answered
	 * without an event for the loop; without a sink they arrive as
	 * {@link SupervisorEvent.Received}.
	 */
	default void dataSink(DataSink sink) {
	}

	/**
	 * Keeps stored data, called as the channel reads the frame (on the thread that takes
	 * the loop's events, for the {@link ControlServer}). A store it answers reaches the
	 * loop through the sink alone (no event), so it must note whatever the loop needs
	 * (liveness).
	 */
	@FunctionalInterface
	interface DataSink {

		/**
		 * @param data the stored bytes between position and limit, {@code null} to remove
		 * them: an array's, or direct memory lent by {@link #buffers()}, which is the
		 * sink's once it answers (kept, or given back)
		 * @return the reply for the instance once the data is kept (or refused), or
		 * {@code null} to leave the message to the loop as a
		 * {@link SupervisorEvent.Received}
		 */
		Message.Reply store(int instanceId, ByteBuffer data);

		/**
		 * Direct memory for the channel to read large stores into, or {@code null} to
		 * read them into arrays.
		 */
		default DirectDataBuffers buffers() {
			return null;
		}

		/**
		 * A store the channel does not keep after all (the sink left it, and it is
		 * refused): its direct memory, if {@link #buffers()} lent it, is given back.
		 */
		default void discard(Message store) {
		}

	}

	void disconnect(int instanceId);

	@Override
	void close();

}
