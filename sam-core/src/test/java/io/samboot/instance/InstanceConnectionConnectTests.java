package io.samboot.instance;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.samboot.SamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * An instance waits for its supervisor's socket to appear (the lean supervisor JVM binds
 * it after instance 1 is launched), and gives up with a clear error when it never does.
 */
class InstanceConnectionConnectTests {

	@TempDir
	Path temp;

	@Test
	void aSocketThatAppearsLaterIsConnectedTo() throws Exception {
		Path path = this.temp.resolve("control.sock");
		CompletableFuture<SocketChannel> connecting = CompletableFuture
			.supplyAsync(() -> InstanceConnection.connectWithin(path.toString(), Duration.ofSeconds(20)));
		// Bind only once the instance has found nothing there.
		assertThat(connecting).isNotDone();
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(path));
			try (SocketChannel accepted = server.accept();
					SocketChannel channel = connecting.get(20, TimeUnit.SECONDS)) {
				assertThat(channel.isConnected()).isTrue();
				assertThat(accepted.isConnected()).isTrue();
			}
		}
	}

	@Test
	void aSocketThatNeverAppearsFailsAfterThePatienceSayingWhere() {
		Path path = this.temp.resolve("never.sock");
		assertThatExceptionOfType(SamException.class)
			.isThrownBy(() -> InstanceConnection.connectWithin(path.toString(), Duration.ofMillis(200)))
			.withMessageContaining("cannot reach the supervisor at " + path);
	}

	@Test
	void aPathThatIsNotASocketFailsAtOnce() throws Exception {
		Path directory = Files.createDirectory(this.temp.resolve("not-a-socket"));
		long started = System.nanoTime();
		assertThatExceptionOfType(SamException.class)
			.isThrownBy(() -> InstanceConnection.connectWithin(directory.toString(), Duration.ofSeconds(60)));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
	}

}
