package io.samboot.supervisor;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * Random bytes read straight from the kernel's source ({@code /dev/urandom}), for what
 * the JVM the user started needs before instance 1's launch: the instance's secret and
 * the control directory's name.
 *
 * <p>
 * Why not {@link SecureRandom}: its first use loads the JDK's provider framework (the
 * security properties, the {@code SUN} provider and its services), 10-20 ms of a JVM's
 * start, and before the launch each of them delays the application. The bytes are the
 * same kernel's that {@code SecureRandom}'s default source on Linux and macOS reads.
 * Where the device cannot be read, {@code SecureRandom} supplies them.
 */
final class KernelRandom {

	private static final String SOURCE = "/dev/urandom";

	private KernelRandom() {
	}

	/** {@code count} random bytes. */
	static byte[] bytes(int count) {
		byte[] bytes = new byte[count];
		try (InputStream in = new FileInputStream(SOURCE)) {
			if (in.readNBytes(bytes, 0, count) == count) {
				return bytes;
			}
		}
		catch (IOException ex) {
			// No such device here (or it cannot be read): the JDK's source.
		}
		new SecureRandom().nextBytes(bytes);
		return bytes;
	}

	/** A random {@code long}. */
	static long nextLong() {
		return ByteBuffer.wrap(bytes(Long.BYTES)).getLong();
	}

}
