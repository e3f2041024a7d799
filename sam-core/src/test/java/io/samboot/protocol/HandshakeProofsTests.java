package io.samboot.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proofs of the handshake: HMAC-SHA256 as the JDK's {@link Mac} computes it, and
 * different for each direction, secret, instance and nonce.
 */
class HandshakeProofsTests {

	private static final byte[] SECRET = HexFormat.of()
		.parseHex("000102030405060708090a0b0c0d0e0f" + "101112131415161718191a1b1c1d1e1f");

	@Test
	void theHmacIsRfc4231TestCase2() {
		byte[] mac = HandshakeProofs.hmacSha256("Jefe".getBytes(StandardCharsets.US_ASCII),
				"what do ya want ".getBytes(StandardCharsets.US_ASCII),
				"for nothing?".getBytes(StandardCharsets.US_ASCII));

		assertThat(HexFormat.of().formatHex(mac))
			.isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	}

	@Test
	void theHmacIsTheJdksForKeysShorterAndLongerThanABlock() throws Exception {
		Random random = new Random(15);
		for (int keyLength : new int[] { 1, 32, 63, 64, 65, 200 }) {
			byte[] key = new byte[keyLength];
			byte[] first = new byte[random.nextInt(100)];
			byte[] second = new byte[random.nextInt(100)];
			random.nextBytes(key);
			random.nextBytes(first);
			random.nextBytes(second);
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			mac.update(first);

			assertThat(HandshakeProofs.hmacSha256(key, first, second)).as("key of %d bytes", keyLength)
				.isEqualTo(mac.doFinal(second));
		}
	}

	@Test
	void eachDirectionHasItsOwnProof() {
		HandshakeProofs proofs = new HandshakeProofs(1, HandshakeProofs.nonce(), HandshakeProofs.nonce());

		assertThat(proofs.bySupervisor(SECRET)).hasSize(HandshakeProofs.LENGTH)
			.isNotEqualTo(proofs.byInstance(SECRET))
			.isNotEqualTo(SECRET);
	}

	@Test
	void theCommandKeyIsNoProofAndBelongsToItsConnection() {
		HandshakeProofs control = new HandshakeProofs(1, HandshakeProofs.nonce(), HandshakeProofs.nonce());
		HandshakeProofs other = new HandshakeProofs(1, HandshakeProofs.nonce(), HandshakeProofs.nonce());
		byte[] key = control.commandKey(SECRET);

		assertThat(key).hasSize(HandshakeProofs.LENGTH)
			.isNotEqualTo(control.byInstance(SECRET))
			.isNotEqualTo(control.bySupervisor(SECRET))
			.isNotEqualTo(control.byInstanceForCommands(SECRET))
			.isNotEqualTo(other.commandKey(SECRET))
			.isEqualTo(new HandshakeProofs(1, control.instanceNonce(), control.supervisorNonce()).commandKey(SECRET));
		// A command connection's proofs, keyed with it, are not those the secret gives.
		HandshakeProofs command = new HandshakeProofs(1, HandshakeProofs.nonce(), HandshakeProofs.nonce());
		assertThat(command.byInstanceForCommands(key)).isNotEqualTo(command.byInstanceForCommands(SECRET));
		assertThat(command.bySupervisor(key)).isNotEqualTo(command.bySupervisor(SECRET));
	}

	@Test
	void aProofDependsOnTheSecretTheInstanceAndBothNonces() {
		byte[] instanceNonce = HandshakeProofs.nonce();
		byte[] supervisorNonce = HandshakeProofs.nonce();
		byte[] proof = new HandshakeProofs(1, instanceNonce, supervisorNonce).byInstance(SECRET);
		byte[] otherSecret = SECRET.clone();
		otherSecret[31] ^= 1;

		assertThat(new HandshakeProofs(1, instanceNonce, supervisorNonce).byInstance(SECRET)).isEqualTo(proof);
		assertThat(new HandshakeProofs(1, instanceNonce, supervisorNonce).byInstance(otherSecret)).isNotEqualTo(proof);
		assertThat(new HandshakeProofs(2, instanceNonce, supervisorNonce).byInstance(SECRET)).isNotEqualTo(proof);
		assertThat(new HandshakeProofs(1, HandshakeProofs.nonce(), supervisorNonce).byInstance(SECRET))
			.isNotEqualTo(proof);
		assertThat(new HandshakeProofs(1, instanceNonce, HandshakeProofs.nonce()).byInstance(SECRET))
			.isNotEqualTo(proof);
	}

	@Test
	void proofsAreComparedWholeAndNullIsNoProof() {
		byte[] proof = new HandshakeProofs(1, HandshakeProofs.nonce(), HandshakeProofs.nonce()).byInstance(SECRET);

		assertThat(HandshakeProofs.same(proof, proof.clone())).isTrue();
		assertThat(HandshakeProofs.same(proof, Arrays.copyOf(proof, 31))).isFalse();
		assertThat(HandshakeProofs.same(proof, null)).isFalse();
	}

	@Test
	void theSecretStaysOutOfItsText() {
		assertThat(new HandshakeProofs(3, new byte[32], new byte[32])).hasToString("HandshakeProofs[instanceId=3]");
	}

}
