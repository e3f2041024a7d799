package io.samboot.supervisor;

import java.util.Arrays;
import java.util.Objects;

import io.samboot.protocol.HandshakeProofs;
import io.samboot.protocol.Message;

/**
 * The instance the control channel waits for: the secret handed to it at launch and, once
 * it is spawned, its PID. Immutable: learning the PID makes a new expectation
 * ({@link #withPid}), so the handshake can tell by identity whether the one it checked is
 * still the one expected.
 *
 * @param instanceId the instance's number
 * @param secret the secret its hello must prove it holds (copied in and out; never in
 * {@link #toString()})
 * @param pid its PID, or {@link #PID_UNKNOWN} until it is spawned
 */
record ExpectedInstance(int instanceId, byte[] secret, long pid) {

	/**
	 * The PID of an instance still being spawned: any PID is taken (the secret is what
	 * proves it).
	 */
	static final long PID_UNKNOWN = 0;

	ExpectedInstance {
		secret = secret.clone();
	}

	/** Expects instance {@code instanceId}, whose PID is not known yet. */
	ExpectedInstance(int instanceId, byte[] secret) {
		this(instanceId, secret, PID_UNKNOWN);
	}

	@Override
	public byte[] secret() {
		return this.secret.clone();
	}

	/** The same instance, now spawned as {@code knownPid}. */
	ExpectedInstance withPid(long knownPid) {
		return new ExpectedInstance(this.instanceId, this.secret, knownPid);
	}

	/** What the supervisor proves with this instance's secret on this connection. */
	byte[] supervisorProof(HandshakeProofs proofs) {
		return proofs.bySupervisor(this.secret);
	}

	/**
	 * Why this hello does not come from this instance, in the words of the refusal's log
	 * line, or {@code null} when it does.
	 * @param proofs the connection's nonces, which the hello's proof must cover
	 */
	String mismatch(Message.Hello hello, HandshakeProofs proofs) {
		if (proofs.instanceId() != this.instanceId
				|| !HandshakeProofs.same(proofs.byInstance(this.secret), hello.proof())) {
			return wrongSecret(hello);
		}
		if (this.pid != PID_UNKNOWN && this.pid != hello.pid()) {
			return "pid " + hello.pid() + " is not instance " + this.instanceId + " (pid " + this.pid + ")";
		}
		return null;
	}

	/**
	 * Why this command hello does not come from this (connected) instance, or
	 * {@code null} when it does: it must prove this expectation's secret (the command key
	 * of the instance's control connection) over the new connection's nonces, with the
	 * label of command connections.
	 */
	String commandMismatch(Message.CommandHello hello, HandshakeProofs proofs) {
		if (proofs.instanceId() != this.instanceId
				|| !HandshakeProofs.same(proofs.byInstanceForCommands(this.secret), hello.proof())) {
			return "wrong key for a command connection of instance " + this.instanceId
					+ ", its proof does not match (the secret alone does not open one)";
		}
		return null;
	}

	/**
	 * The refusal of a hello whose proof is not made with the expected secret (or when no
	 * instance is expected).
	 */
	static String wrongSecret(Message.Hello hello) {
		return "wrong secret, its proof does not match (pid claimed " + hello.pid() + ")";
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof ExpectedInstance that && this.instanceId == that.instanceId && this.pid == that.pid
				&& Arrays.equals(this.secret, that.secret);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.instanceId, Arrays.hashCode(this.secret), this.pid);
	}

	@Override
	public String toString() {
		// The secret stays out of logs and exception messages.
		return "ExpectedInstance[instanceId=" + this.instanceId + ", pid=" + this.pid + "]";
	}
}
