package io.samboot.protocol;

import java.util.Map;

/**
 * How the supervisor tells a process it launched that it is the active instance and how
 * to reach the supervisor: environment variables, set only on the instance's environment.
 *
 * <p>
 * The secret changes with every instance, so a process that inherited an older instance's
 * environment (a child the application started, say) cannot pass for the current
 * instance.
 */
public final class Handoff {

	/** Path of the supervisor's Unix socket. */
	public static final String SOCKET = "SAM_SUPERVISOR_SOCKET";

	/** PID of the supervisor: the instance's parent. */
	public static final String SUPERVISOR_PID = "SAM_SUPERVISOR_PID";

	/** The instance id the supervisor gave this launch. */
	public static final String INSTANCE_ID = "SAM_INSTANCE_ID";

	/**
	 * Hex of the random secret the instance and the supervisor prove to each other
	 * ({@link HandshakeProofs}); it never crosses the socket.
	 */
	public static final String SECRET = "SAM_INSTANCE_SECRET";

	/**
	 * {@code KILL} when the supervisor armed the instance's parent-death signal before
	 * its JVM started; absent when the instance must arm it itself.
	 */
	public static final String PARENT_DEATH_SIGNAL = "SAM_PARENT_DEATH_SIGNAL";

	/** The value of {@link #PARENT_DEATH_SIGNAL} when the signal is armed. */
	public static final String PARENT_DEATH_ARMED = "KILL";

	private Handoff() {
	}

	/**
	 * Whether the environment names a supervisor at all (it may still be stale: check the
	 * parent PID).
	 */
	public static boolean present(Map<String, String> environment) {
		return environment.containsKey(SOCKET) && environment.containsKey(SUPERVISOR_PID)
				&& environment.containsKey(SECRET);
	}

	public static String toHex(byte[] bytes) {
		StringBuilder hex = new StringBuilder(bytes.length * 2);
		for (byte b : bytes) {
			hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
		}
		return hex.toString();
	}

	public static byte[] fromHex(String hex) {
		if (hex.length() % 2 != 0) {
			throw new IllegalArgumentException("odd number of hex digits");
		}
		byte[] bytes = new byte[hex.length() / 2];
		for (int i = 0; i < bytes.length; i++) {
			int high = Character.digit(hex.charAt(2 * i), 16);
			int low = Character.digit(hex.charAt(2 * i + 1), 16);
			if (high < 0 || low < 0) {
				throw new IllegalArgumentException("not a hex digit");
			}
			bytes[i] = (byte) ((high << 4) | low);
		}
		return bytes;
	}

}
