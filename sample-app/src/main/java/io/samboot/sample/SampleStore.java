package io.samboot.sample;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

import io.samboot.SamClient;

import org.springframework.stereotype.Component;

/**
 * What the sample keeps in SAM's data store, where it survives restarts: a counter, how
 * many of the next instances should crash right after they start (a chaos switch), and a
 * blob, all guarded by a CRC32 so corruption would be noticed.
 */
@Component
public class SampleStore {

	private static final int MAGIC = 0x53414d31;

	private final SamClient sam;

	public SampleStore(SamClient sam) {
		this.sam = sam;
	}

	public synchronized State read() {
		byte[] data = this.sam.dataRestore();
		if (data.length == 0) {
			return new State(0, 0, new byte[0]);
		}
		ByteBuffer in = ByteBuffer.wrap(data);
		if (data.length < 28 || in.getInt() != MAGIC) {
			throw new IllegalStateException("the data store holds " + data.length + " bytes that are not the sample's");
		}
		long counter = in.getLong();
		int crashesOnStart = in.getInt();
		byte[] blob = new byte[in.getInt()];
		in.get(blob);
		long crc = in.getLong();
		if (crc != crc(data, data.length - Long.BYTES)) {
			throw new IllegalStateException("the data store's checksum does not match: the data was corrupted");
		}
		return new State(counter, crashesOnStart, blob);
	}

	public synchronized void write(State state) {
		ByteBuffer out = ByteBuffer.allocate(4 + 8 + 4 + 4 + state.blob().length + 8);
		out.putInt(MAGIC)
			.putLong(state.counter())
			.putInt(state.crashesOnStart())
			.putInt(state.blob().length)
			.put(state.blob());
		out.putLong(crc(out.array(), out.position()));
		this.sam.dataStore(out.array());
	}

	private static long crc(byte[] bytes, int length) {
		CRC32 crc = new CRC32();
		crc.update(bytes, 0, length);
		return crc.getValue();
	}

	/** The stored state. */
	public record State(long counter, int crashesOnStart, byte[] blob) {

		State withCounter(long value) {
			return new State(value, this.crashesOnStart, this.blob);
		}

		State withCrashesOnStart(int value) {
			return new State(this.counter, value, this.blob);
		}

		State withBlob(byte[] value) {
			return new State(this.counter, this.crashesOnStart, value);
		}
	}

}
