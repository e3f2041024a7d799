package io.samboot.conformance;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.samboot.protocol.Handoff;
import io.samboot.protocol.Message;
import io.samboot.protocol.MessageCodec;
import io.samboot.testsupport.ChildJvm;
import io.samboot.testsupport.Jdk;
import io.samboot.testsupport.OtherUser;
import io.samboot.testsupport.OutputLines;
import io.samboot.testsupport.SupervisedApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Another user impersonates the supervisor (issue 15, item 2), with a real second user:
 * the base of the control directory sits under a directory they own, they rename it away,
 * recreate the path and listen there with a forged welcome (a counter of 999999). The
 * supervisor must not put its socket where they can do that, and an instance that is
 * pointed at their listener anyway must refuse it before it sends anything.
 */
@Tag("process")
class ImpersonatedSupervisorProcessTests {

	private static final Duration STEP = Duration.ofSeconds(60);

	private static final int FORGED_COUNTER = 999_999;

	/**
	 * The attacker's listener: accepts, sends the forged welcome at once, and records
	 * each connection and every byte it receives, in files of its own.
	 */
	private static final String LISTENER = """
			import os, socket, sys
			path, record, forged = sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3])
			os.makedirs(os.path.dirname(path), exist_ok=True)
			server = socket.socket(socket.AF_UNIX)
			server.bind(path)
			server.listen(8)
			server.settimeout(120)
			open(record + ".ready", "w").close()
			while True:
			    try:
			        connection, _ = server.accept()
			    except socket.timeout:
			        break
			    with open(record + ".connections", "a") as f:
			        f.write("accepted\\n")
			    connection.settimeout(10)
			    received = b""
			    try:
			        connection.sendall(forged)
			        while True:
			            data = connection.recv(65536)
			            if not data:
			                break
			            received += data
			    except OSError:
			        pass
			    with open(record + ".received", "ab") as f:
			        f.write(received)
			    connection.close()
			""";

	private final List<Process> started = new ArrayList<>();

	private final List<Path> created = new ArrayList<>();

	@AfterEach
	void cleanUp() throws IOException {
		for (Process process : this.started) {
			process.destroyForcibly();
		}
		for (Path path : this.created) {
			deleteAll(path);
		}
	}

	@Test
	void aBaseUnderAnotherUsersDirectoryIsNotUsedAndTheirListenerIsNeverReached() throws Exception {
		OtherUser attacker = OtherUser.require();
		// mkdir /tmp/shared; chown attacker /tmp/shared; mkdir -m700 /tmp/shared/rt
		Path shared = Files.createTempDirectory(Path.of("/tmp"), "sam-shared-");
		this.created.add(shared);
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path runtime = Files.createDirectory(shared.resolve("rt"));
		Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
		Files.setOwner(shared,
				shared.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OtherUser.NAME));
		Path go = shared.resolve("go");

		try (SupervisedApp app = SupervisedApp.start(Jdk.current(), SamFixture.class, List.of(),
				Map.of("XDG_RUNTIME_DIR", runtime.toString()), "counter", go.toString())) {
			app.awaitLine(
					"not using " + runtime + " for the control socket: " + shared + " belongs to uid " + attacker.uid(),
					STEP);
			app.awaitLine("MARK iid=1 pid=", STEP);

			// The attacker renames rt, recreates the path and listens in it.
			attacker.run("mv", runtime.toString(), shared.resolve("rt.old").toString());
			attacker.run("mkdir", "-m", "700", runtime.toString());
			Path record = runtime.resolve("record");
			listen(attacker, runtime.resolve("sam-" + app.supervisorPid() + "-1").resolve("control.sock"), record);
			Files.createFile(go);

			String second = app.awaitLine("MARK iid=2 pid=", STEP);
			assertThat(second).endsWith(" counter=2");
			long instance2 = app.instancePid(2, STEP);
			assertThat(environ(instance2).get(Handoff.SOCKET)).doesNotStartWith(shared.toString());
			app.awaitLine("MARK iid=2 hangs", STEP);
			app.awaitLine("health-check-timeout", STEP);
			assertThat(app.awaitLine("MARK iid=3 pid=", STEP)).endsWith(" counter=3");
			assertThat(app.find((line) -> line.contains("counter=" + FORGED_COUNTER))).isEmpty();
			assertThat(Path.of(record + ".connections")).as("connections to the attacker's listener").doesNotExist();
			assertThat(app.failures()).isEmpty();
		}
	}

	@Test
	void anInstancePointedAtAnotherUsersListenerRefusesItAndSendsNothing() throws Exception {
		OtherUser attacker = OtherUser.require();
		Path theirs = Path.of(attacker.run("mktemp", "-d", "/tmp/sam-impostor-XXXXXX").trim());
		this.created.add(theirs);
		Path socket = theirs.resolve("sam-1-1").resolve("control.sock");
		Path record = theirs.resolve("record");
		listen(attacker, socket, record);
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);

		// As the supervisor launches an instance: this JVM is its parent.
		ProcessBuilder builder = new ProcessBuilder(
				ChildJvm.command(SamFixture.class, "counter", theirs.resolve("go").toString()))
			.redirectErrorStream(true);
		builder.environment().keySet().removeIf((name) -> name.startsWith("SAM_"));
		builder.environment().put(Handoff.SOCKET, socket.toString());
		builder.environment().put(Handoff.SUPERVISOR_PID, Long.toString(ProcessHandle.current().pid()));
		builder.environment().put(Handoff.INSTANCE_ID, "2");
		builder.environment().put(Handoff.SECRET, HexFormat.of().formatHex(secret));
		Process instance = builder.start();
		this.started.add(instance);
		OutputLines output = OutputLines.of(instance.getInputStream());

		assertThat(instance.waitFor(STEP.toSeconds(), TimeUnit.SECONDS)).as("the instance ends").isTrue();
		await().atMost(Duration.ofSeconds(10)).until(output::isComplete);
		assertThat(instance.exitValue()).as(output.toString()).isNotZero();
		assertThat(output.find((line) -> line.contains("refusing the supervisor's socket " + socket
				+ ": it is served by user " + OtherUser.NAME + ", not by uid")))
			.as(output.toString())
			.isPresent();
		assertThat(output.find((line) -> line.contains("MARK iid="))).as("registered with the impostor").isEmpty();
		await("the listener records the connection").atMost(Duration.ofSeconds(20))
			.until(() -> Files.exists(Path.of(record + ".received")));
		assertThat(Files.readString(Path.of(record + ".connections"))).isEqualTo("accepted\n");
		assertThat(Files.readAllBytes(Path.of(record + ".received"))).as("bytes the instance sent the impostor")
			.isEmpty();
	}

	/** Starts the attacker's listener on {@code socket} and waits until it listens. */
	private void listen(OtherUser attacker, Path socket, Path record) throws IOException {
		byte[] forged = frame(new Message.Welcome(2, 1, 0, ByteBuffer.allocate(4).putInt(FORGED_COUNTER).array()));
		Process listener = new ProcessBuilder(attacker.command("/usr/bin/python3", "-c", LISTENER, socket.toString(),
				record.toString(), HexFormat.of().formatHex(forged)))
			.redirectErrorStream(true)
			.start();
		this.started.add(listener);
		await("the attacker's listener").atMost(Duration.ofSeconds(20))
			.failFast("the listener ended", () -> !listener.isAlive())
			.until(() -> Files.exists(Path.of(record + ".ready")));
	}

	private static byte[] frame(Message message) {
		byte[] body = MessageCodec.encode(message);
		return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
	}

	private static Map<String, String> environ(long pid) throws IOException {
		Map<String, String> environment = new HashMap<>();
		for (String entry : new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
				StandardCharsets.UTF_8)
			.split("\0")) {
			int equals = entry.indexOf('=');
			if (equals > 0) {
				environment.put(entry.substring(0, equals), entry.substring(equals + 1));
			}
		}
		return environment;
	}

	private static void deleteAll(Path path) throws IOException {
		if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(path)) {
			for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(each);
			}
		}
	}

}
