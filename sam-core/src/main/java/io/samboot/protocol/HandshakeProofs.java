package io.samboot.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The proofs both ends of a control connection give that they hold the instance's secret,
 * without the secret crossing the socket: HMAC-SHA256 keyed with the secret over a
 * direction label, the protocol version, the instance id and both sides' nonces.
 *
 * <p>
 * The instance speaks first ({@link Message.Challenge}, with its nonce); the supervisor
 * answers with its own nonce and its proof ({@link Message.ChallengeAnswer}); only if
 * that proof is right does the instance send its proof in the {@link Message.Hello}. So
 * an impostor learns nothing but a random nonce, and never the secret; each proof covers
 * a nonce the verifying side has just made, so a recorded proof is worth nothing on
 * another connection; and the labels differ, so a proof one side gave cannot be passed
 * back to it as the other side's.
 *
 * @param instanceId the instance the connection is for ({@code SAM_INSTANCE_ID})
 * @param instanceNonce the instance's fresh nonce
 * @param supervisorNonce the supervisor's fresh nonce
 */
public record HandshakeProofs(int instanceId, byte[] instanceNonce, byte[] supervisorNonce) {

	/**
	 * The handshake's version, sent in the {@link Message.Challenge}. 1 was a hello with
	 * the secret itself; 2 is this challenge and response.
	 */
	public static final int VERSION = 2;

	/** Bytes in a nonce, and in a proof (SHA-256). */
	public static final int LENGTH = 32;

	/** SHA-256's block size, in bytes. */
	private static final int BLOCK = 64;

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final byte[] BY_SUPERVISOR = "sam supervisor proof".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] BY_INSTANCE = "sam instance proof".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] BY_INSTANCE_FOR_COMMANDS = "sam instance command proof"
		.getBytes(StandardCharsets.US_ASCII);

	private static final byte[] COMMAND_KEY = "sam command key".getBytes(StandardCharsets.US_ASCII);

	public HandshakeProofs {
		instanceNonce = instanceNonce.clone();
		supervisorNonce = supervisorNonce.clone();
	}

	/** A fresh random nonce. */
	public static byte[] nonce() {
		byte[] nonce = new byte[LENGTH];
		RANDOM.nextBytes(nonce);
		return nonce;
	}

	/**
	 * Loads and initialises what the proofs use (the random source, SHA-256), which takes
	 * a cold JVM up to a hundred milliseconds on a busy machine: done before connecting,
	 * it does not count against the handshake's time limit.
	 */
	public static void warmUp() {
		new HandshakeProofs(0, nonce(), new byte[LENGTH]).bySupervisor(new byte[1]);
	}

	/** What the supervisor sends to prove it holds {@code secret}. */
	public byte[] bySupervisor(byte[] secret) {
		return mac(secret, BY_SUPERVISOR);
	}

	/** What the instance sends to prove it holds {@code secret}. */
	public byte[] byInstance(byte[] secret) {
		return mac(secret, BY_INSTANCE);
	}

	/**
	 * The key of the command connection that belongs to this control connection, which
	 * that connection's handshake proves in place of the secret: the secret's MAC over
	 * this connection's nonces, with a label of its own. The nonces crossed only this
	 * socket, so only its two ends can compute the key: a process that has read the
	 * secret (from the instance's environment, say) cannot open a command connection, nor
	 * learn from the supervisor's answer anything about the secret itself.
	 */
	public byte[] commandKey(byte[] secret) {
		return mac(secret, COMMAND_KEY);
	}

	/**
	 * What the instance sends, in a {@link Message.CommandHello}, to open a command
	 * connection, keyed with {@link #commandKey}: a label of its own, so that neither a
	 * hello's proof nor this one passes for the other.
	 */
	public byte[] byInstanceForCommands(byte[] secret) {
		return mac(secret, BY_INSTANCE_FOR_COMMANDS);
	}

	/**
	 * Whether a proof received is the one expected, in constant time (no timing tells how
	 * much of a guess was right).
	 */
	public static boolean same(byte[] expected, byte[] received) {
		return received != null && MessageDigest.isEqual(expected, received);
	}

	private byte[] mac(byte[] secret, byte[] label) {
		return hmacSha256(secret, label, ByteBuffer.allocate(8).putInt(VERSION).putInt(this.instanceId).array(),
				this.instanceNonce, this.supervisorNonce);
	}

	/**
	 * HMAC-SHA256 (RFC 2104) of the parts, one after the other, built on
	 * {@link MessageDigest} rather than {@code javax.crypto.Mac}: the same bytes
	 * ({@code HandshakeProofsTests} compares them), without initialising the JCE
	 * framework, which costs every instance's start-up 50 to 150 ms more on a busy
	 * machine. The parts after the label have fixed lengths, so no two transcripts give
	 * the same bytes.
	 */
	static byte[] hmacSha256(byte[] key, byte[]... parts) {
		MessageDigest sha256 = sha256();
		byte[] block = new byte[BLOCK];
		byte[] shortKey = (key.length > BLOCK) ? sha256.digest(key) : key;
		System.arraycopy(shortKey, 0, block, 0, shortKey.length);
		for (int i = 0; i < BLOCK; i++) {
			block[i] ^= 0x36;
		}
		sha256.update(block);
		for (byte[] part : parts) {
			sha256.update(part);
		}
		byte[] inner = sha256.digest();
		for (int i = 0; i < BLOCK; i++) {
			block[i] ^= 0x36 ^ 0x5c;
		}
		sha256.update(block);
		return sha256.digest(inner);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is in every JDK", ex);
		}
	}

	@Override
	public String toString() {
		return "HandshakeProofs[instanceId=" + this.instanceId + "]";
	}

}
