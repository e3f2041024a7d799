package io.samboot.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;

/**
 * An in-memory {@link ByteChannel}: reads come from a fixed array (at most
 * {@code readChunk} bytes per call, then end of stream), writes are collected (at most
 * {@code writeChunk} bytes per call), so partial reads and writes are exercised as a
 * socket would produce them.
 */
final class FakeByteChannel implements ByteChannel {

	private final byte[] input;

	private final int readChunk;

	private final int writeChunk;

	private final ByteArrayOutputStream output = new ByteArrayOutputStream();

	private int position;

	private int reads;

	private boolean open = true;

	FakeByteChannel(byte[] input, int readChunk, int writeChunk) {
		this.input = input.clone();
		this.readChunk = readChunk;
		this.writeChunk = writeChunk;
	}

	FakeByteChannel(byte[] input) {
		this(input, Integer.MAX_VALUE, Integer.MAX_VALUE);
	}

	static FakeByteChannel forWriting(int writeChunk) {
		return new FakeByteChannel(new byte[0], Integer.MAX_VALUE, writeChunk);
	}

	@Override
	public int read(ByteBuffer dst) throws ClosedChannelException {
		ensureOpen();
		this.reads++;
		if (this.position == this.input.length) {
			return -1;
		}
		int count = Math.min(Math.min(this.readChunk, dst.remaining()), this.input.length - this.position);
		dst.put(this.input, this.position, count);
		this.position += count;
		return count;
	}

	@Override
	public int write(ByteBuffer src) throws ClosedChannelException {
		ensureOpen();
		int count = Math.min(this.writeChunk, src.remaining());
		byte[] chunk = new byte[count];
		src.get(chunk);
		this.output.write(chunk, 0, count);
		return count;
	}

	@Override
	public boolean isOpen() {
		return this.open;
	}

	@Override
	public void close() {
		this.open = false;
	}

	/** How many input bytes have been consumed. */
	int consumed() {
		return this.position;
	}

	int reads() {
		return this.reads;
	}

	byte[] written() {
		return this.output.toByteArray();
	}

	private void ensureOpen() throws ClosedChannelException {
		if (!this.open) {
			throw new ClosedChannelException();
		}
	}

}
