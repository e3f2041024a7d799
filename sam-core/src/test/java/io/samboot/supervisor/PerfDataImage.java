package io.samboot.supervisor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A performance data file in HotSpot's layout (version 2.0), written by tests: the
 * prologue, then one entry per counter, each a 20-byte header, the NUL-terminated name,
 * padding and the value, 8-byte aligned.
 */
final class PerfDataImage {

	/** The {@code sun.rt.createVmBeginTime} of {@link #common()}. */
	static final long VM_BEGIN_MILLIS = 1_700_000_000_000L;

	/** The size of the image, HotSpot's default. */
	static final int SIZE = 32 * 1024;

	private final ByteOrder order;

	private final Map<String, Object> counters = new LinkedHashMap<>();

	private final Map<String, Integer> entryOffsets = new LinkedHashMap<>();

	private final Map<String, Integer> valueOffsets = new LinkedHashMap<>();

	private boolean accessible = true;

	PerfDataImage(ByteOrder order) {
		this.order = order;
	}

	/**
	 * The constants, 1 GHz and a VM that began at {@link #VM_BEGIN_MILLIS}, and three
	 * safepoints that took 1 ms.
	 */
	PerfDataImage common() {
		return set("sun.os.hrt.frequency", 1_000_000_000L).set("sun.rt.createVmBeginTime", VM_BEGIN_MILLIS)
			.set("sun.rt.safepoints", 3)
			.set("sun.rt.safepointTime", 1_000_000);
	}

	PerfDataImage set(String name, long value) {
		this.counters.put(name, value);
		return this;
	}

	PerfDataImage string(String name, String value) {
		this.counters.put(name, value);
		return this;
	}

	PerfDataImage accessible(boolean value) {
		this.accessible = value;
		return this;
	}

	/**
	 * The whole image in a direct buffer, as a mapping is, and set to big-endian as a
	 * fresh mapping is.
	 */
	ByteBuffer toBuffer() {
		ByteBuffer buffer = ByteBuffer.allocateDirect(SIZE).order(this.order);
		buffer.order(ByteOrder.BIG_ENDIAN).putInt(0, HsPerfData.MAGIC).order(this.order);
		buffer.put(4, (byte) ((this.order == ByteOrder.BIG_ENDIAN) ? 0 : 1));
		buffer.put(5, (byte) 2);
		buffer.put(6, (byte) 0);
		buffer.put(7, (byte) (this.accessible ? 1 : 0));
		int offset = HsPerfData.PROLOGUE_SIZE;
		for (Map.Entry<String, Object> counter : this.counters.entrySet()) {
			offset += entry(buffer, offset, counter.getKey(), counter.getValue());
		}
		buffer.putInt(8, offset);
		buffer.putInt(24, HsPerfData.PROLOGUE_SIZE);
		buffer.putInt(28, this.counters.size());
		return buffer.order(ByteOrder.BIG_ENDIAN);
	}

	/**
	 * Writes the whole file anew (the same file, as the JVM's own mapping would see it).
	 */
	PerfDataImage writeTo(Path file) throws IOException {
		ByteBuffer buffer = toBuffer();
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
			channel.write(buffer, 0);
		}
		return this;
	}

	private int entry(ByteBuffer buffer, int offset, String name, Object value) {
		boolean isLong = value instanceof Long;
		byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.US_ASCII);
		byte[] string = isLong ? new byte[0] : (value + "\0").getBytes(StandardCharsets.UTF_8);
		int valueSize = isLong ? 8 : 1;
		int size = HsPerfData.ENTRY_HEADER_SIZE + nameBytes.length;
		size += (size % valueSize == 0) ? 0 : valueSize - size % valueSize;
		int dataOffset = size;
		size += isLong ? 8 : string.length;
		size = (size + 7) & ~7;
		buffer.putInt(offset, size);
		buffer.putInt(offset + 4, HsPerfData.ENTRY_HEADER_SIZE);
		buffer.putInt(offset + 8, isLong ? 0 : string.length);
		buffer.put(offset + 12, (byte) (isLong ? 'J' : 'B'));
		buffer.put(offset + 13, (byte) 1);
		buffer.put(offset + 14, (byte) (isLong ? 4 : 5));
		buffer.put(offset + 15, (byte) (isLong ? 3 : 1));
		buffer.putInt(offset + 16, dataOffset);
		buffer.put(offset + HsPerfData.ENTRY_HEADER_SIZE, nameBytes);
		if (isLong) {
			buffer.putLong(offset + dataOffset, (Long) value);
		}
		else {
			buffer.put(offset + dataOffset, string);
		}
		this.entryOffsets.put(name, offset);
		this.valueOffsets.put(name, offset + dataOffset);
		return size;
	}

	/**
	 * Where the entry of this counter begins, once written ({@link #toBuffer()}).
	 */
	int entryOffset(String name) {
		return this.entryOffsets.get(name);
	}

	/** Where the value of this counter is, once written ({@link #toBuffer()}). */
	int valueOffset(String name) {
		return this.valueOffsets.get(name);
	}

	/** Changes one long counter in place, as the JVM does. */
	PerfDataImage update(Path file, String name, long value) throws IOException {
		this.counters.put(name, value);
		ByteBuffer bytes = ByteBuffer.allocate(8).order(this.order).putLong(0, value);
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			channel.write(bytes, this.valueOffsets.get(name));
		}
		return this;
	}

}
