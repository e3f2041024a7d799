package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Named pipes for tests, made with {@code mkfifo(1)}: the JDK cannot make one. */
final class Fifos {

	private Fifos() {
	}

	/** Makes a FIFO at this path, or fails. */
	static Path make(Path path) throws IOException, InterruptedException {
		Process process = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
		if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IOException("mkfifo " + path + " failed: " + new String(process.getInputStream().readAllBytes()));
		}
		return path;
	}

}
