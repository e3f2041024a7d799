package io.samboot.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal HTTP/1.1 GET over loopback, to see the first 200 of an application as soon as
 * it answers.
 */
final class Http {

	private static final Pattern PID = Pattern.compile("\"pid\"\\s*:\\s*(\\d+)");

	private Http() {
	}

	/** A response: status code and body; status -1 when nothing answered. */
	record Response(int status, String body) {

		long pid() {
			Matcher matcher = PID.matcher(this.body);
			return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
		}
	}

	static Response get(int port, String path) {
		return request(port, "GET", path);
	}

	/** A POST without a body. */
	static Response post(int port, String path) {
		return request(port, "POST", path);
	}

	private static Response request(int port, String method, String path) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
			socket.setSoTimeout(2000);
			OutputStream out = socket.getOutputStream();
			out.write((method + " " + path
					+ " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream response = new ByteArrayOutputStream();
			in.transferTo(response);
			String text = response.toString(StandardCharsets.UTF_8);
			if (!text.startsWith("HTTP/1.1 ")) {
				return new Response(-1, text);
			}
			int status = Integer.parseInt(text.substring(9, 12));
			int bodyAt = text.indexOf("\r\n\r\n");
			return new Response(status, (bodyAt < 0) ? "" : text.substring(bodyAt + 4));
		}
		catch (IOException | RuntimeException ex) {
			return new Response(-1, "");
		}
	}

	/**
	 * Polls every 10 ms until a 200 arrives from a process other than {@code notPid}.
	 * @return the monotonic time the 200 was received, or -1 on timeout or when
	 * {@code alive} says no
	 */
	static long awaitOk(int port, long notPid, long timeoutNanos, java.util.function.BooleanSupplier alive) {
		long deadline = System.nanoTime() + timeoutNanos;
		while (System.nanoTime() - deadline < 0) {
			Response response = get(port, "/");
			long now = System.nanoTime();
			if (response.status() == 200 && (notPid <= 0 || response.pid() != notPid)) {
				return now;
			}
			if (!alive.getAsBoolean()) {
				return -1;
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
		}
		return -1;
	}

}
