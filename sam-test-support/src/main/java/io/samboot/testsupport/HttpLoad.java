package io.samboot.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * HTTP load on a loopback port while a test kills, hangs or restarts the server behind
 * it: threads that each send {@code GET path} on a new connection, one after the other,
 * at most one every {@code pace}, and record every outcome (connection refused, reset,
 * timed out, or the status and body). Plain sockets, so that nothing retries behind the
 * test's back.
 */
public final class HttpLoad implements AutoCloseable {

	/** One request: when it began and ended (nanoTime), and how it went. */
	public record Outcome(long startNanos, long endNanos, int status, String body, String failure) {

		/** Whether it got a 2xx answer. */
		public boolean succeeded() {
			return this.failure == null && this.status >= 200 && this.status < 300;
		}

		@Override
		public String toString() {
			return ((this.failure != null) ? this.failure : "HTTP " + this.status) + " (began at " + this.startNanos
					+ ")";
		}

	}

	private final int port;

	private final String path;

	private final Duration pace;

	private final Duration timeout;

	private final List<Thread> threads = new ArrayList<>();

	private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();

	private volatile boolean running = true;

	private HttpLoad(int port, String path, Duration pace, Duration timeout) {
		this.port = port;
		this.path = path;
		this.pace = pace;
		this.timeout = timeout;
	}

	/**
	 * Starts {@code threads} senders.
	 * @param pace the least time between two requests of one sender (a new connection
	 * each)
	 * @param timeout how long one request may take before it counts as failed
	 */
	public static HttpLoad start(int port, String path, int threads, Duration pace, Duration timeout) {
		HttpLoad load = new HttpLoad(port, path, pace, timeout);
		for (int i = 0; i < threads; i++) {
			Thread thread = new Thread(load::run, "http-load-" + i);
			thread.setDaemon(true);
			load.threads.add(thread);
			thread.start();
		}
		return load;
	}

	private void run() {
		while (this.running) {
			long started = System.nanoTime();
			this.outcomes.add(request(started));
			long next = started + this.pace.toNanos();
			while (this.running && next - System.nanoTime() > 0) {
				LockSupport.parkNanos(next - System.nanoTime());
			}
		}
	}

	private Outcome request(long started) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), (int) this.timeout.toMillis());
			socket.setSoTimeout((int) this.timeout.toMillis());
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + this.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String response = readAll(socket.getInputStream());
			int space = response.indexOf(' ');
			if (!response.startsWith("HTTP/1.1 ") || space < 0 || response.length() < space + 4) {
				return new Outcome(started, System.nanoTime(), 0, response,
						"no HTTP answer (" + response.length() + " bytes)");
			}
			int status = Integer.parseInt(response.substring(space + 1, space + 4));
			int bodyStart = response.indexOf("\r\n\r\n");
			return new Outcome(started, System.nanoTime(), status,
					(bodyStart >= 0) ? response.substring(bodyStart + 4) : "", null);
		}
		catch (IOException | RuntimeException ex) {
			return new Outcome(started, System.nanoTime(), 0, null,
					ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
	}

	private static String readAll(InputStream in) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		in.transferTo(bytes);
		return bytes.toString(StandardCharsets.UTF_8);
	}

	/** Every outcome so far, in the order they ended. */
	public List<Outcome> outcomes() {
		return List.copyOf(this.outcomes);
	}

	/** The requests that failed (no answer, or not 2xx), in the order they ended. */
	public List<Outcome> failures() {
		return outcomes().stream().filter((outcome) -> !outcome.succeeded()).toList();
	}

	/** Stops the senders and waits for the requests in flight. */
	@Override
	public void close() {
		this.running = false;
		for (Thread thread : this.threads) {
			try {
				thread.join(this.timeout.toMillis() + 1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
