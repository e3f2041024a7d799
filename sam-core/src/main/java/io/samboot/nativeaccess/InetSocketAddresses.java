package io.samboot.nativeaccess;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Linux's {@code struct sockaddr_in} and {@code struct sockaddr_in6} as bytes, for
 * {@code bind}: a native-endian {@code sa_family_t}, then the port and the address in
 * network byte order.
 */
final class InetSocketAddresses {

	private static final int SOCKADDR_IN_SIZE = 16;

	private static final int SOCKADDR_IN6_SIZE = 28;

	private InetSocketAddresses() {
	}

	/**
	 * The address bytes to pass to {@code bind}; their length is the {@code socklen_t}.
	 * @param address the address, or {@code null} for every address
	 * @param ipv6 whether the socket is {@code AF_INET6} (an IPv4 address is then written
	 * IPv4-mapped)
	 */
	static byte[] encode(InetAddress address, int port, boolean ipv6, ByteOrder order) {
		ByteBuffer bytes = ByteBuffer.allocate(ipv6 ? SOCKADDR_IN6_SIZE : SOCKADDR_IN_SIZE).order(order);
		bytes.putShort((short) (ipv6 ? Libc.AF_INET6 : Libc.AF_INET));
		bytes.order(ByteOrder.BIG_ENDIAN).putShort((short) port);
		if (ipv6) {
			bytes.putInt(0);
			bytes.put(ipv6Bytes(address));
		}
		else if (address != null) {
			bytes.put(address.getAddress());
		}
		return bytes.array();
	}

	private static byte[] ipv6Bytes(InetAddress address) {
		byte[] bytes = new byte[16];
		if (address instanceof Inet4Address) {
			bytes[10] = (byte) 0xff;
			bytes[11] = (byte) 0xff;
			System.arraycopy(address.getAddress(), 0, bytes, 12, 4);
		}
		else if (address != null) {
			System.arraycopy(address.getAddress(), 0, bytes, 0, 16);
		}
		return bytes;
	}

	/** The port of an encoded {@code sockaddr_in} or {@code sockaddr_in6}. */
	static int port(byte[] address) {
		return ((address[2] & 0xff) << 8) | (address[3] & 0xff);
	}

}
