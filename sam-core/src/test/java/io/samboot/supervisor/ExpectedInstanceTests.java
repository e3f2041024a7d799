package io.samboot.supervisor;

import java.util.Map;

import io.samboot.protocol.HandshakeProofs;
import io.samboot.protocol.Message;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The instance the control channel waits for: an immutable value, checked against a
 * hello's proof of the secret on one connection.
 */
class ExpectedInstanceTests {

	private static final byte[] SECRET = { 1, 2, 3, 4 };

	private static final HandshakeProofs PROOFS = new HandshakeProofs(1, HandshakeProofs.nonce(),
			HandshakeProofs.nonce());

	@Test
	void aNewExpectationDoesNotKnowThePidYet() {
		assertThat(new ExpectedInstance(1, SECRET).pid()).isEqualTo(ExpectedInstance.PID_UNKNOWN);
	}

	@Test
	void theSecretIsCopiedOnTheWayIn() {
		byte[] secret = SECRET.clone();
		ExpectedInstance expected = new ExpectedInstance(1, secret);

		secret[0] = 9;

		assertThat(expected.secret()).containsExactly(SECRET);
	}

	@Test
	void theSecretIsCopiedOnTheWayOut() {
		ExpectedInstance expected = new ExpectedInstance(1, SECRET);

		expected.secret()[0] = 9;

		assertThat(expected.secret()).containsExactly(SECRET);
	}

	@Test
	void learningThePidMakesANewExpectationOfTheSameInstance() {
		ExpectedInstance unknown = new ExpectedInstance(1, SECRET);

		ExpectedInstance known = unknown.withPid(42);

		assertThat(known).isEqualTo(new ExpectedInstance(1, SECRET, 42));
		assertThat(unknown.pid()).isEqualTo(ExpectedInstance.PID_UNKNOWN);
	}

	@Test
	void whileThePidIsUnknownTheProofIsEnough() {
		assertThat(new ExpectedInstance(1, SECRET).mismatch(hello(SECRET, 7), PROOFS)).isNull();
	}

	@Test
	void aHelloFromTheKnownPidWithTheProofMatches() {
		assertThat(new ExpectedInstance(1, SECRET, 7).mismatch(hello(SECRET, 7), PROOFS)).isNull();
	}

	@Test
	void aProofMadeWithAnotherSecretIsAWrongSecretWhateverThePid() {
		assertThat(new ExpectedInstance(1, SECRET, 7).mismatch(hello(new byte[] { 1, 2, 3, 5 }, 7), PROOFS))
			.isEqualTo("wrong secret, its proof does not match (pid claimed 7)");
	}

	@Test
	void theSecretItselfIsNoProof() {
		Message.Hello plain = new Message.Hello(SECRET, 7, Map.of());

		assertThat(new ExpectedInstance(1, SECRET, 7).mismatch(plain, PROOFS)).startsWith("wrong secret");
	}

	@Test
	void aProofForOtherNoncesIsAReplayAndRefused() {
		HandshakeProofs earlier = new HandshakeProofs(1, HandshakeProofs.nonce(), HandshakeProofs.nonce());
		Message.Hello replayed = new Message.Hello(earlier.byInstance(SECRET), 7, Map.of());

		assertThat(new ExpectedInstance(1, SECRET, 7).mismatch(replayed, PROOFS)).startsWith("wrong secret");
	}

	@Test
	void theSupervisorsOwnProofPassedBackIsRefused() {
		Message.Hello reflected = new Message.Hello(PROOFS.bySupervisor(SECRET), 7, Map.of());

		assertThat(new ExpectedInstance(1, SECRET, 7).mismatch(reflected, PROOFS)).startsWith("wrong secret");
	}

	@Test
	void aProofForAnotherInstanceIdIsRefused() {
		assertThat(new ExpectedInstance(2, SECRET, 7).mismatch(hello(SECRET, 7), PROOFS)).startsWith("wrong secret");
	}

	@Test
	void anotherPidIsRefusedOnceThePidIsKnown() {
		assertThat(new ExpectedInstance(1, SECRET, 7).mismatch(hello(SECRET, 8), PROOFS))
			.isEqualTo("pid 8 is not instance 1 (pid 7)");
	}

	@Test
	void expectationsWithTheSameContentAreEqual() {
		assertThat(new ExpectedInstance(1, SECRET, 7)).isEqualTo(new ExpectedInstance(1, SECRET.clone(), 7))
			.hasSameHashCodeAs(new ExpectedInstance(1, SECRET.clone(), 7))
			.isNotEqualTo(new ExpectedInstance(2, SECRET, 7))
			.isNotEqualTo(new ExpectedInstance(1, new byte[] { 4, 3, 2, 1 }, 7))
			.isNotEqualTo(new ExpectedInstance(1, SECRET, 8));
	}

	@Test
	void theSecretStaysOutOfItsText() {
		assertThat(new ExpectedInstance(1, SECRET, 7)).hasToString("ExpectedInstance[instanceId=1, pid=7]");
	}

	/**
	 * A hello with the proof an instance holding {@code secret} gives on this connection.
	 */
	private static Message.Hello hello(byte[] secret, long pid) {
		return new Message.Hello(PROOFS.byInstance(secret), pid, Map.of());
	}

}
