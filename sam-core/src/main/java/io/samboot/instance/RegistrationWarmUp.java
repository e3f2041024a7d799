package io.samboot.instance;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

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

	private static final AtomicBoolean STARTED = new AtomicBoolean();

	private RegistrationWarmUp() {
	}

	/**
	 * Starts the warm-up, once per JVM, when this process is an instance a supervisor
	 * launched ({@link Handoff#SOCKET} in its environment); nothing otherwise.
	 * @return whether this call started it
	 */
	public static boolean startIfSupervised(Map<String, String> environment) {
		if (environment.get(Handoff.SOCKET) == null || !STARTED.compareAndSet(false, true)) {
			return false;
		}
		Thread thread = new Thread(RegistrationWarmUp::warmUp, "sam-registration-warm-up");
		thread.setDaemon(true);
		thread.start();
		return true;
	}

	private static void warmUp() {
		try {
			HandshakeProofs.warmUp();
			// The handshake's frames, encoded and decoded once: the protocol's classes
			// come out of the application's jar, one by one.
			byte[] nonce = new byte[HandshakeProofs.LENGTH];
			for (Message message : List.of(new Message.Challenge(HandshakeProofs.VERSION, 0, nonce),
					new Message.ChallengeAnswer(nonce, nonce),
					new Message.Hello(nonce, 0, Map.of("sam.enabled", "true")), new Message.Welcome(0, 0, 0, nonce),
					new Message.Reply("OK", ""))) {
				MessageCodec.decode(MessageCodec.encode(message));
				MessageCodec.encodeFrame(message);
			}
			SocketChannel.open(StandardProtocolFamily.UNIX).close();
			OptionalLong uid = CurrentUser.uid();
			if (uid.isPresent()) {
				ExtendedSocketOptions.SO_PEERCRED.name();
				FileSystems.getDefault()
					.getUserPrincipalLookupService()
					.lookupPrincipalByName(Long.toString(uid.getAsLong()));
			}
		}
		catch (IOException | RuntimeException | LinkageError ex) {
			// Nothing is lost: the registration does the same, and says what fails.
		}
	}

}
