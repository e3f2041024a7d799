package io.samboot.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final byte[] BY_SUPERVISOR = "sam supervisor proof".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] BY_INSTANCE = "sam instance proof".getBytes(StandardCharsets.US_ASCII);

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
	 * Loads and initialises what the proofs use (the JCE provider, the random source),
	 * which takes a cold JVM a few hundred milliseconds: done before connecting, it does
	 * not count against the handshake's time limit.
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
	 * Whether a proof received is the one expected, in constant time (no timing tells how
	 * much of a guess was right).
	 */
	public static boolean same(byte[] expected, byte[] received) {
		return received != null && MessageDigest.isEqual(expected, received);
	}

	private byte[] mac(byte[] secret, byte[] label) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			// Fixed-length fields after the label: no two transcripts give the same
			// bytes.
			mac.update(label);
			mac.update(ByteBuffer.allocate(8).putInt(VERSION).putInt(this.instanceId).array());
			mac.update(this.instanceNonce);
			mac.update(this.supervisorNonce);
			return mac.doFinal();
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			// HmacSHA256 is in every JDK; an empty secret is the only key it refuses.
			throw new IllegalStateException("cannot compute the handshake proof: " + ex.getMessage(), ex);
		}
	}

	@Override
	public String toString() {
		return "HandshakeProofs[instanceId=" + this.instanceId + "]";
	}

}
