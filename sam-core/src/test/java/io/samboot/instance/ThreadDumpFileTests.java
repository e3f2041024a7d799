package io.samboot.instance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The thread dump an instance writes when the supervisor asks. */
class ThreadDumpFileTests {

	private final Object lock = new Object();

	@Test
	void everyThreadWithItsStackAndLocksIsWritten(@TempDir Path directory) throws Exception {
		CountDownLatch holding = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Thread holder = new Thread(() -> {
			synchronized (this.lock) {
				holding.countDown();
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}, "holds-the-lock");
		holder.start();
		holding.await();
		try {
			Path file = directory.resolve("logs/sam-thread-dump-instance-1.txt");
			ThreadDumpFile.write(file.toString());

			String dump = Files.readString(file);
			assertThat(dump).contains("Full thread dump of pid " + ProcessHandle.current().pid())
				.contains("\"holds-the-lock\" #")
				.contains("java.lang.Thread.State: WAITING")
				.contains("- locked java.lang.Object@")
				.contains("ThreadDumpFileTests.lambda$everyThreadWithItsStackAndLocksIsWritten");
		}
		finally {
			release.countDown();
			holder.join();
		}
	}

	@Test
	void aFileThatCannotBeWrittenIsOnlyLogged(@TempDir Path directory) throws Exception {
		Path blocker = Files.createFile(directory.resolve("not-a-directory"));
		ThreadDumpFile.write(blocker.resolve("dump.txt").toString());
		assertThat(blocker).isRegularFile();
	}

}
