package io.samboot.nativeaccess;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Linux's {@code struct sockaddr_un} as bytes, for {@code sendto}: a native-endian
 * {@code sa_family_t} ({@code AF_UNIX}) followed by {@code sun_path[108]}.
 *
 * <p>
 * A path is written with its terminating NUL. A name starting with {@code @} is an
 * abstract socket, as systemd writes {@code NOTIFY_SOCKET}: the {@code @} becomes a NUL
 * byte and the length passed to the kernel ends with the name's last byte, because every
 * byte of an abstract name counts.
 */
final class UnixSocketAddress {

	/** {@code AF_UNIX} on Linux. */
	static final int AF_UNIX = Libc.AF_UNIX;

	/** {@code sizeof(sun_path)} on Linux. */
	static final int SUN_PATH_SIZE = 108;

	/**
	 * {@code offsetof(struct sockaddr_un, sun_path)}: the two bytes of
	 * {@code sun_family}.
	 */
	private static final int PATH_OFFSET = 2;

	private UnixSocketAddress() {
	}

	/**
	 * The address bytes to pass to {@code sendto}; their length is the {@code socklen_t}
	 * to pass.
	 * @throws NativeAccessException if the path is empty or too long for {@code sun_path}
	 */
	static byte[] encode(String socketPath, ByteOrder order) {
		if (socketPath == null || socketPath.isEmpty() || socketPath.equals("@")) {
			throw new NativeAccessException("sockaddr_un(" + socketPath + ")", "the socket path is empty",
					"give a socket path or an abstract name such as @name");
		}
		boolean abstractName = socketPath.charAt(0) == '@';
		byte[] name = (abstractName ? socketPath.substring(1) : socketPath).getBytes(StandardCharsets.UTF_8);
		// A path needs room for its NUL; an abstract name for the NUL in front of it.
		int limit = SUN_PATH_SIZE - 1;
		if (name.length > limit) {
			throw new NativeAccessException("sockaddr_un(" + socketPath + ")",
					"the " + (abstractName ? "abstract name" : "path") + " has " + name.length
							+ " bytes, more than the " + limit + " a Unix socket address holds",
					"use a shorter path (for instance a directory closer to /)");
		}
		ByteBuffer address = ByteBuffer.allocate(PATH_OFFSET + 1 + name.length).order(order);
		address.putShort((short) AF_UNIX);
		if (abstractName) {
			address.put((byte) 0).put(name);
		}
		else {
			address.put(name).put((byte) 0);
		}
		return address.array();
	}

	/**
	 * The call as it appears in messages, e.g. {@code sendto(socket=@notify, 9 bytes)}.
	 */
	static String describeSend(String socketPath, byte[] message) {
		return "sendto(socket=" + socketPath + ", " + ((message != null) ? message.length : 0) + " bytes)";
	}

}
