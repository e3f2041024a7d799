package io.samboot.bench;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * 4 KiB of a file mapped by the suite and by the supervised program under test (the Java
 * subject or the C program): little-endian int64 slots, written and read with
 * release/acquire ordering. Both sides take their times from the same monotonic clock
 * ({@code System.nanoTime()} is {@code CLOCK_MONOTONIC} on Linux), so times written by
 * one can be compared with the other's.
 */
public final class SharedSlots {

	/**
	 * Set by the suite: the instance stops health checking and exits 0, so its supervisor
	 * exits.
	 */
	public static final int STOP = 0;

	public static final int INSTANCE_ID = 1;

	public static final int PID = 2;

	/** Monotonic ns right after register returned in this instance. */
	public static final int REGISTERED = 3;

	/** Monotonic ns right after the last passed check (Java) or heartbeat (C). */
	public static final int LAST_CHECK = 4;

	/** The instance id, written last, once health checking is started. */
	public static final int SEQUENCE = 5;

	private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private final MappedByteBuffer buffer;

	private SharedSlots(MappedByteBuffer buffer) {
		this.buffer = buffer;
	}

	/** Creates (zeroed) or opens the file and maps it. */
	public static SharedSlots map(Path file, boolean create) throws IOException {
		if (create) {
			Files.write(file, new byte[4096]);
		}
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			return new SharedSlots(channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096));
		}
	}

	public long get(int slot) {
		return (long) LONGS.getAcquire(this.buffer, slot * 8);
	}

	public void set(int slot, long value) {
		LONGS.setRelease(this.buffer, slot * 8, value);
	}

}
