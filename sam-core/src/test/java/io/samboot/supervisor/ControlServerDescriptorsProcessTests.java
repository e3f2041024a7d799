package io.samboot.supervisor;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.samboot.SamSettings;
import io.samboot.protocol.FrameChannel;
import io.samboot.protocol.InstanceHandshake;
import io.samboot.testsupport.ChildJvm;
import io.samboot.testsupport.OutputLines;
import io.samboot.testsupport.TestProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The control channel of a real supervisor JVM ({@link ControlServerFixture}) whose
 * open-files limit is lowered from outside with {@code prlimit(1)} while connections
 * arrive: {@code accept} fails with {@code EMFILE}. Before the fix the accept thread
 * ended there for good and no later instance could connect; now it waits, and accepts
 * again once the limit is back.
 */
@Tag("process")
class ControlServerDescriptorsProcessTests {

	private static final Duration STEP = Duration.ofSeconds(60);

	private static final byte[] SECRET = new byte[32];

	private final TestProcesses processes = new TestProcesses();

	private final List<SocketChannel> clients = new ArrayList<>();

	@AfterEach
	void close() throws IOException {
		for (SocketChannel client : this.clients) {
			client.close();
		}
		this.processes.close();
	}

	@Test
	void acceptSurvivesRunningOutOfFileDescriptors(@TempDir Path base) throws Exception {
		assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "needs prlimit (util-linux)");
		Process server = this.processes.start(ChildJvm.command(ControlServerFixture.class, "serve", base.toString(),
				HexFormat.of().formatHex(SECRET)));
		OutputLines output = OutputLines.of(server.getInputStream());
		String directory = awaitLine(server, output, "directory ").substring("directory ".length());
		awaitLine(server, output, "ready");
		UnixDomainSocketAddress socket = UnixDomainSocketAddress.of(ControlDirectory.socketIn(Path.of(directory)));
		long softLimit = softOpenFilesLimit(server.pid());
		// A supervisor has served connections before it runs out: the classes of the
		// handshake are loaded (from a test's class directories each would need a
		// descriptor).
		byte[] wrongSecret = new byte[32];
		wrongSecret[0] = 1;
		try (SocketChannel warmUp = SocketChannel.open(socket)) {
			try {
				InstanceHandshake.sayHello(new FrameChannel(warmUp, FrameChannel.HANDSHAKE_FRAME_LIMIT), 1, wrongSecret,
						1, SamSettings.defaults().toMap());
			}
			catch (IllegalStateException expected) {
				// The supervisor's proof does not match a wrong secret: nothing is sent.
				warmUp.close();
			}
			awaitLine(server, output, "refused a connection");
		}

		// As many descriptors as it holds now: the next accept has none left.
		prlimit(server.pid(), openDescriptors(server.pid()));
		for (int i = 0; i < 10; i++) {
			this.clients.add(SocketChannel.open(socket));
		}
		awaitLine(server, output, "cannot accept connections");
		prlimit(server.pid(), softLimit);
		awaitLine(server, output, "accepts connections again");

		// The waiting clients go; the instance gets in once their handshake slots are
		// free.
		for (SocketChannel client : this.clients) {
			client.close();
		}
		await("the instance admitted").atMost(STEP).failFast("the fixture ended", () -> !server.isAlive()).until(() -> {
			sayHello(socket);
			return output.find((line) -> line.equals("event Connected")).isPresent();
		});
		assertThat(output.find((line) -> line.contains("stopped accepting"))).isEmpty();
	}

	/** Connects as the instance and says hello; a refused attempt is tried again. */
	private void sayHello(UnixDomainSocketAddress socket) {
		try {
			SocketChannel instance = SocketChannel.open(StandardProtocolFamily.UNIX);
			this.clients.add(instance);
			instance.connect(socket);
			InstanceHandshake.sayHello(new FrameChannel(instance, FrameChannel.HANDSHAKE_FRAME_LIMIT), 1, SECRET,
					ProcessHandle.current().pid(), SamSettings.defaults().toMap());
		}
		catch (IOException ex) {
			// refused while the handshake slots were full: the next poll tries again
		}
	}

	private static String awaitLine(Process process, OutputLines output, String text) {
		await("the line '" + text + "'").atMost(STEP)
			.failFast("the fixture ended", () -> !process.isAlive())
			.until(() -> output.find((line) -> line.contains(text)).isPresent());
		assertThat(output.find((line) -> line.contains(text))).as("output:%n%s", output).isPresent();
		return output.find((line) -> line.contains(text)).orElseThrow();
	}

	private static long openDescriptors(long pid) throws IOException {
		try (Stream<Path> entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
			return entries.count();
		}
	}

	private static long softOpenFilesLimit(long pid) throws IOException {
		return Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))
			.stream()
			.filter((line) -> line.startsWith("Max open files"))
			.map((line) -> Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]))
			.findFirst()
			.orElseThrow();
	}

	/** Sets the process's soft open-files limit, keeping the hard one. */
	private static void prlimit(long pid, long soft) throws Exception {
		Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + soft + ":")
			.redirectErrorStream(true)
			.start();
		assertThat(prlimit.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(prlimit.exitValue()).as(new String(prlimit.getInputStream().readAllBytes())).isZero();
	}

}
