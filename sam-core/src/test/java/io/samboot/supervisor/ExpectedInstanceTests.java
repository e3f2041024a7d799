package io.samboot.supervisor;

import java.util.Map;

import io.samboot.protocol.Message;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The instance the control channel waits for: an immutable value, checked against a
 * hello.
 */
class ExpectedInstanceTests {

	private static final byte[] SECRET = { 1, 2, 3, 4 };

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

		assertThat(expected.hasSecret(SECRET)).isTrue();
	}

	@Test
	void learningThePidMakesANewExpectationOfTheSameInstance() {
		ExpectedInstance unknown = new ExpectedInstance(1, SECRET);

		ExpectedInstance known = unknown.withPid(42);

		assertThat(known).isEqualTo(new ExpectedInstance(1, SECRET, 42));
		assertThat(unknown.pid()).isEqualTo(ExpectedInstance.PID_UNKNOWN);
	}

	@Test
	void whileThePidIsUnknownTheSecretIsEnough() {
		assertThat(new ExpectedInstance(1, SECRET).mismatch(hello(SECRET, 7))).isNull();
	}

	@Test
	void aHelloFromTheKnownPidWithTheSecretMatches() {
		assertThat(new ExpectedInstance(1, SECRET, 7).mismatch(hello(SECRET, 7))).isNull();
	}

	@Test
	void anotherSecretIsAWrongSecretWhateverThePid() {
		assertThat(new ExpectedInstance(1, SECRET, 7).mismatch(hello(new byte[] { 1, 2, 3, 5 }, 7)))
			.isEqualTo("wrong secret (pid claimed 7)");
	}

	@Test
	void anotherPidIsRefusedOnceThePidIsKnown() {
		assertThat(new ExpectedInstance(1, SECRET, 7).mismatch(hello(SECRET, 8)))
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

	private static Message.Hello hello(byte[] secret, long pid) {
		return new Message.Hello(secret, pid, Map.of());
	}

}
