package io.samboot.supervisor;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Sends the supervisor's HTTP liveness check ({@code sam.health-check.http}): a GET to
 * the instance's own web server over loopback, on a thread of its own, so that a server
 * that accepts and never answers holds that thread, never the loop. The answer comes back
 * as a {@link SupervisorEvent.HttpChecked} on the loop's queue. The thread starts with
 * the first check: a supervisor that never checks over HTTP never has it.
 */
class HttpCheckClient {

	/**
	 * A response body read after the status, at most this much: only to end it cleanly.
	 */
	private static final int MAX_DRAINED = 64 * 1024;

	private final Consumer<SupervisorEvent> events;

	private ExecutorService thread;

	HttpCheckClient(Consumer<SupervisorEvent> events) {
		this.events = events;
	}

	/**
	 * Sends one check; its answer arrives later as an event carrying {@code sentNanos}.
	 */
	void check(int instanceId, URI url, Duration timeout, long sentNanos) {
		if (this.thread == null) {
			this.thread = Executors.newSingleThreadExecutor((task) -> {
				Thread daemon = new Thread(task, "sam-http-check");
				daemon.setDaemon(true);
				return daemon;
			});
		}
		this.thread.execute(() -> this.events.accept(get(instanceId, url, timeout, sentNanos)));
	}

	/** One GET: a status from 200 to 399 passes, as in a Kubernetes HTTP probe. */
	static SupervisorEvent.HttpChecked get(int instanceId, URI url, Duration timeout, long sentNanos) {
		int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
		HttpURLConnection connection = null;
		try {
			// No proxy: the check is this host's loopback, whatever http.proxyHost says.
			connection = (HttpURLConnection) url.toURL().openConnection(Proxy.NO_PROXY);
			connection.setConnectTimeout(millis);
			connection.setReadTimeout(millis);
			connection.setUseCaches(false);
			connection.setInstanceFollowRedirects(false);
			connection.setRequestProperty("Connection", "close");
			connection.setRequestProperty("User-Agent", "sam-supervisor");
			int status = connection.getResponseCode();
			drain((status >= 400) ? connection.getErrorStream() : connection.getInputStream());
			boolean passed = status >= 200 && status < 400;
			return new SupervisorEvent.HttpChecked(instanceId, sentNanos, passed, false,
					passed ? null : "GET " + url + " answered " + status);
		}
		catch (SocketTimeoutException ex) {
			return new SupervisorEvent.HttpChecked(instanceId, sentNanos, false, true,
					"GET " + url + " had no answer within " + DurationText.of(timeout));
		}
		catch (IOException | RuntimeException ex) {
			return new SupervisorEvent.HttpChecked(instanceId, sentNanos, false, false,
					"GET " + url + " failed: " + ex);
		}
		finally {
			if (connection != null) {
				connection.disconnect();
			}
		}
	}

	private static void drain(InputStream body) throws IOException {
		if (body == null) {
			return;
		}
		try (body) {
			byte[] buffer = new byte[4096];
			int total = 0;
			int read;
			while (total < MAX_DRAINED && (read = body.read(buffer)) >= 0) {
				total += read;
			}
		}
	}

}
