package io.samboot.nativeaccess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * A bound Unix datagram socket that collects every datagram it receives, in order, as
 * systemd's notify socket does: what the JDK cannot do (it has no {@code AF_UNIX}
 * datagram sockets), done with JNA directly, which tests may. Linux only. A daemon thread
 * reads; {@link #close()} stops it, closes the socket and deletes the socket file.
 */
public final class DatagramSink implements AutoCloseable {

	private static final int SOCK_DGRAM = 2;

	private static final int SOCK_CLOEXEC = 0x80000;

	private static final int SOL_SOCKET = 1;

	private static final int SO_RCVTIMEO = 20;

	private static final int EAGAIN = 11;

	private static final int EINTR = 4;

	/**
	 * How long one {@code recv} blocks before the reader checks whether it should stop.
	 */
	private static final long RECEIVE_TIMEOUT_MICROS = 50_000;

	private final String address;

	private final Path file;

	private final int fd;

	private final List<String> messages = new CopyOnWriteArrayList<>();

	private final Thread reader;

	private volatile boolean closed;

	private volatile String failure;

	private DatagramSink(String address, Path file) {
		this.address = address;
		this.file = file;
		this.fd = Libc.INSTANCE.socket(UnixSocketAddress.AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (this.fd < 0) {
			throw new IllegalStateException("socket(AF_UNIX, SOCK_DGRAM) failed: errno " + Native.getLastError());
		}
		byte[] timeout = ByteBuffer.allocate(16)
			.order(ByteOrder.nativeOrder())
			.putLong(0)
			.putLong(RECEIVE_TIMEOUT_MICROS)
			.array();
		byte[] sockaddr = UnixSocketAddress.encode(address, ByteOrder.nativeOrder());
		if (Libc.INSTANCE.setsockopt(this.fd, SOL_SOCKET, SO_RCVTIMEO, timeout, timeout.length) != 0
				|| Libc.INSTANCE.bind(this.fd, sockaddr, sockaddr.length) != 0) {
			int errno = Native.getLastError();
			Libc.INSTANCE.close(this.fd);
			throw new IllegalStateException("binding " + address + " failed: errno " + errno);
		}
		this.reader = new Thread(this::readAll, "datagram-sink " + address);
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/** Binds a socket file {@code notify.sock} in the directory (which must exist). */
	public static DatagramSink bindPath(Path directory) {
		Path file = directory.resolve("notify.sock");
		return new DatagramSink(file.toString(), file);
	}

	/** Binds an abstract socket with a random name; its address starts with {@code @}. */
	public static DatagramSink bindAbstract() {
		return new DatagramSink("@sam-test-" + UUID.randomUUID(), null);
	}

	/** Whether this platform can run the sink (Linux with JNA). */
	public static boolean isSupported() {
		return Platform.isLinux() && NativeAccess.get().isNative();
	}

	/** The address to put into {@code NOTIFY_SOCKET}: a path, or {@code @name}. */
	public String address() {
		return this.address;
	}

	/** Every datagram received so far, in order, as UTF-8 text. */
	public List<String> messages() {
		if (this.failure != null) {
			throw new IllegalStateException(this.failure);
		}
		return List.copyOf(this.messages);
	}

	private void readAll() {
		byte[] buffer = new byte[65536];
		while (!this.closed) {
			long received = Libc.INSTANCE.recv(this.fd, buffer, buffer.length, 0);
			if (received >= 0) {
				this.messages.add(new String(Arrays.copyOf(buffer, (int) received), StandardCharsets.UTF_8));
				continue;
			}
			int errno = Native.getLastError();
			if (errno != EAGAIN && errno != EINTR && !this.closed) {
				this.failure = "recv on " + this.address + " failed: errno " + errno;
				return;
			}
		}
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			this.reader.join(2000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Libc.INSTANCE.close(this.fd);
		if (this.file != null) {
			try {
				Files.deleteIfExists(this.file);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	@Override
	public String toString() {
		return this.address + " " + this.messages;
	}

	/** The C library calls a receiving socket needs. */
	interface Libc extends Library {

		Libc INSTANCE = Native.load(Platform.C_LIBRARY_NAME, Libc.class);

		int socket(int domain, int type, int protocol);

		int bind(int fd, byte[] address, int addressLength);

		int setsockopt(int fd, int level, int name, byte[] value, int valueLength);

		long recv(int fd, byte[] buffer, long length, int flags);

		int close(int fd);

	}

}
