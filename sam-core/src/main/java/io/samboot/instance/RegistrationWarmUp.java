package io.samboot.instance;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

import io.samboot.log.SamLog;
import io.samboot.nativeaccess.CurrentUser;
import io.samboot.protocol.Handoff;
import io.samboot.protocol.HandshakeProofs;
import io.samboot.protocol.Message;
import io.samboot.protocol.MessageCodec;
import jdk.net.ExtendedSocketOptions;

/**
 * Prepares, on a thread of its own, what an instance's registration is the first to use,
 * while the application starts: the JDK's provider framework behind the handshake's
 * random nonces and SHA-256 (10-20 ms of a JVM's start), the protocol's classes (loaded
 * one by one out of the application's jar) and code, the JDK's Unix-domain sockets, and
 * the C library's user database behind the check of the supervisor's user.
 *
 * <p>
 * Why: the registration runs on the application's main thread, in the middle of its start
 * ({@code ApplicationEnvironmentPreparedEvent}), and each of these is paid there once,
 * while the application waits. Started at Spring Boot's {@code ApplicationStartingEvent},
 * a few hundred milliseconds before the registration (the config files are read in
 * between), the work is done beside the start instead; a registration that comes sooner
 * waits only for what is still loading, never does it twice. Not from the early launcher,
 * which runs SAM's classes in a class loader of its own, not the application's.
 */
public final class RegistrationWarmUp {

	private static final SamLog log = SamLog.get(RegistrationWarmUp.class);

	private static final RegistrationWarmUp THIS_JVM = new RegistrationWarmUp();

	private final AtomicBoolean started = new AtomicBoolean();

	RegistrationWarmUp() {
	}

	/**
	 * Starts the warm-up, once per JVM, when this process is an instance a supervisor
	 * launched ({@link Handoff#SOCKET} in its environment); nothing otherwise.
	 * @return whether this call started it
	 */
	public static boolean startIfSupervised(Map<String, String> environment) {
		return THIS_JVM.start(environment);
	}

	boolean start(Map<String, String> environment) {
		if (environment.get(Handoff.SOCKET) == null || !this.started.compareAndSet(false, true)) {
			return false;
		}
		Thread thread = new Thread(() -> warmUp().forEach(log::debug), "sam-registration-warm-up");
		thread.setDaemon(true);
		thread.start();
		return true;
	}

	/**
	 * Does each step once; a step that fails does not keep the others from running.
	 * @return what failed, for the debug log: the registration does the same on the main
	 * thread, and it reports what fails there
	 */
	static List<String> warmUp() {
		List<String> failures = new ArrayList<>();
		step("the handshake's proofs", failures, HandshakeProofs::warmUp);
		step("the handshake's frames", failures, () -> {
			byte[] nonce = new byte[HandshakeProofs.LENGTH];
			for (Message message : List.of(new Message.Challenge(HandshakeProofs.VERSION, 0, nonce),
					new Message.ChallengeAnswer(nonce, nonce),
					new Message.Hello(nonce, 0, Map.of("sam.enabled", "true")), new Message.Welcome(0, 0, 0, nonce),
					new Message.Reply("OK", ""))) {
				MessageCodec.decode(MessageCodec.encode(message));
				MessageCodec.encodeFrame(message);
			}
		});
		step("a Unix-domain socket", failures, () -> SocketChannel.open(StandardProtocolFamily.UNIX).close());
		step("the peer check", failures, () -> {
			OptionalLong uid = CurrentUser.uid();
			if (uid.isPresent()) {
				ExtendedSocketOptions.SO_PEERCRED.name();
				FileSystems.getDefault()
					.getUserPrincipalLookupService()
					.lookupPrincipalByName(Long.toString(uid.getAsLong()));
			}
		});
		return failures;
	}

	private static void step(String what, List<String> failures, Step step) {
		try {
			step.run();
		}
		catch (IOException | RuntimeException | LinkageError ex) {
			failures.add("warming up " + what + " for the registration failed: " + ex);
		}
	}

	@FunctionalInterface
	private interface Step {

		void run() throws IOException;

	}

}
