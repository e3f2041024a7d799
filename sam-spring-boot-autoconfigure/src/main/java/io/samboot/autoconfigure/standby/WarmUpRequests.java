package io.samboot.autoconfigure.standby;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The requests a parked standby sends itself through a temporary loopback connector, so
 * that its first real request after the promotion does not pay for what the first request
 * of a JVM pays (the dispatcher servlet's initialization, handler lookups, message
 * converters, error pages, classes loaded and code compiled). Only requests without side
 * effects: one to a path nothing maps (the error page) and the health endpoint.
 */
final class WarmUpRequests {

	private static final Log LOG = LogFactory.getLog(WarmUpRequests.class);

	/** Paths that change nothing: an unmapped one, and the health endpoint's. */
	static final List<String> PATHS = List.of("/sam-standby-warm-up", "/actuator/health");

	/** Rounds over the paths: enough for the interpreter to hand the hot paths on. */
	static final int ROUNDS = 20;

	private WarmUpRequests() {
	}

	/** Sends the requests to the connector on this loopback port; failures are logged. */
	static void send(int port) {
		long started = System.nanoTime();
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		int sent = 0;
		try {
			for (int round = 0; round < ROUNDS; round++) {
				for (String path : PATHS) {
					HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
						.timeout(Duration.ofSeconds(10))
						.header("User-Agent", "sam-standby-warm-up")
						.GET()
						.build();
					client.send(request, HttpResponse.BodyHandlers.discarding());
					sent++;
				}
			}
			LOG.info("standby warmed up: " + sent + " requests to itself in "
					+ Duration.ofNanos(System.nanoTime() - started).toMillis() + "ms");
		}
		catch (java.io.IOException ex) {
			LOG.warn("standby warm-up stopped after " + sent + " requests: " + ex.getMessage()
					+ "; its first requests after the promotion will be slower");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
