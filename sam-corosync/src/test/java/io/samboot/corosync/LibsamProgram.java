package io.samboot.corosync;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.samboot.testsupport.CorosyncNode;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * corosync's own libsam, for comparison:
 * {@code src/test/resources/corosync/libsam-cmap.c} compiled against {@code libsam-dev}
 * ({@code apt-get install -y libsam-dev libsam4 gcc}), run as a process whose active
 * child takes one command per line on standard input.
 */
final class LibsamProgram {

	static final String INSTALL = "apt-get install -y libsam-dev libsam4 gcc";

	private final Path binary;

	private LibsamProgram(Path binary) {
		this.binary = binary;
	}

	/**
	 * Compiles the program into {@code dir}; skips the test (with the reason) where that
	 * is impossible.
	 */
	static LibsamProgram compile(Path dir) {
		assumeTrue(Files.exists(Path.of("/usr/include/corosync/sam.h")),
				"corosync's sam.h is missing, so libsam cannot be compared: " + INSTALL);
		assumeTrue(CorosyncNode.run(Duration.ofSeconds(5), "cc", "--version").exitCode() == 0,
				"no C compiler to build the libsam comparison: " + INSTALL);
		try (InputStream source = LibsamProgram.class.getResourceAsStream("/corosync/libsam-cmap.c")) {
			Path file = dir.resolve("libsam-cmap.c");
			Files.write(file, source.readAllBytes());
			Path binary = dir.resolve("libsam-cmap");
			CorosyncNode.CommandResult result = CorosyncNode.run(Duration.ofSeconds(60), "cc", "-O", "-o",
					binary.toString(), file.toString(), "-lsam");
			assumeTrue(result.exitCode() == 0, "libsam-cmap.c does not build here: " + result);
			return new LibsamProgram(binary);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Starts it with libsam's CMAP flag (and the quorum flag if asked); returns once
	 * libsam registered.
	 */
	Run start(String policy, int timeIntervalMillis, boolean quorum) throws IOException, InterruptedException {
		return start(List.of(), policy, timeIntervalMillis, quorum);
	}

	/**
	 * As {@link #start(String, int, boolean)}, behind a command prefix such as
	 * {@code ip netns exec <ns>}.
	 */
	Run start(List<String> prefix, String policy, int timeIntervalMillis, boolean quorum)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(prefix);
		command.addAll(List.of(this.binary.toString(), policy, Integer.toString(timeIntervalMillis)));
		if (quorum) {
			command.add("quorum");
		}
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		Run run = new Run(process);
		String registered = run.line(Duration.ofSeconds(10));
		if (registered == null || !registered.startsWith("registered ")) {
			process.destroyForcibly();
			throw new IllegalStateException("libsam-cmap did not register: " + registered);
		}
		run.serverPid = Long.parseLong(registered.split(" ")[1]);
		return run;
	}

	/** One run: libsam's server (the process started) and its active child. */
	static final class Run implements AutoCloseable {

		private final Process process;

		private final Writer input;

		private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

		private long serverPid;

		Run(Process process) {
			this.process = process;
			this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
			Thread reader = new Thread(() -> {
				try (BufferedReader output = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
					String line;
					while ((line = output.readLine()) != null) {
						this.lines.add(line);
					}
				}
				catch (IOException ex) {
					// The process went away.
				}
			}, "libsam-cmap-output");
			reader.setDaemon(true);
			reader.start();
		}

		/** The PID of libsam's server: the entry is {@code resources.process.<it>.}. */
		long serverPid() {
			return this.serverPid;
		}

		/** Sends a command without waiting for its answer. */
		void send(String command) throws IOException {
			this.input.write(command + "\n");
			this.input.flush();
		}

		/**
		 * Sends a command and returns the child's answer
		 * ({@code ok <server pid> <command>}).
		 */
		String command(String command) throws IOException, InterruptedException {
			send(command);
			return line(Duration.ofSeconds(10));
		}

		String line(Duration timeout) throws InterruptedException {
			return this.lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

		/** Waits for libsam's server to exit; its status. */
		int awaitExit(Duration timeout) throws InterruptedException {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException("libsam's server did not exit within " + timeout);
			}
			return this.process.exitValue();
		}

		@Override
		public void close() {
			this.process.descendants().forEach(ProcessHandle::destroyForcibly);
			this.process.destroyForcibly();
			try {
				this.process.waitFor(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
