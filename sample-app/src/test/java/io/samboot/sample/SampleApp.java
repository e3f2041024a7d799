package io.samboot.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.samboot.testsupport.SupervisedProcess;

import static org.awaitility.Awaitility.await;

/**
 * The packaged sample application started as a user starts it ({@code java -jar}), on a
 * free loopback port: the process is the supervisor, the instance answers HTTP. On close
 * it kills exactly the processes it started.
 */
public final class SampleApp extends SupervisedProcess {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final int port;

	private SampleApp(Process supervisor, int port) {
		super(supervisor);
		this.port = port;
	}

	public static SampleApp start(String... arguments) throws IOException {
		return start(List.of(), arguments);
	}

	/**
	 * Starts the jar with these JVM options before {@code -jar} (e.g.
	 * {@code -Dsam.enabled=false}) and arguments.
	 */
	public static SampleApp start(List<String> jvmOptions, String... arguments) throws IOException {
		return startIn(null, jvmOptions, arguments);
	}

	/**
	 * As {@link #start(List, String...)}, with {@code directory} as the working directory
	 * ({@code null} for the test's own).
	 */
	public static SampleApp startIn(Path directory, List<String> jvmOptions, String... arguments) throws IOException {
		return startIn(directory, Map.of(), jvmOptions, arguments);
	}

	/**
	 * As {@link #startIn(Path, List, String...)}, with these variables added to the
	 * environment.
	 */
	public static SampleApp startIn(Path directory, Map<String, String> environment, List<String> jvmOptions,
			String... arguments) throws IOException {
		int port = freePort();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-XX:TieredStopAtLevel=1");
		command.addAll(jvmOptions);
		command.add("-jar");
		command.add(Path.of(System.getProperty("sample.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"))
			.toAbsolutePath()
			.toString());
		command.add("--server.port=" + port);
		command.add("--server.address=127.0.0.1");
		command.addAll(List.of(arguments));
		return new SampleApp(launch(command, environment, directory), port);
	}

	public HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	public HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).GET().build(),
				HttpResponse.BodyHandlers.ofByteArray());
	}

	public HttpResponse<String> put(String path, byte[] body) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(uri(path))
			.timeout(Duration.ofSeconds(5))
			.header("Content-Type", "application/octet-stream")
			.PUT(HttpRequest.BodyPublishers.ofByteArray(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	public HttpResponse<String> post(String path) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(uri(path))
			.timeout(Duration.ofSeconds(5))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	public HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(uri(path))
			.timeout(Duration.ofSeconds(5))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Waits until {@code GET path} answers 200 with a body the predicate accepts; returns
	 * the body.
	 */
	public String awaitGet(String path, Predicate<String> body, Duration timeout) {
		String[] last = new String[1];
		await("GET " + path).atMost(timeout)
			.pollInterval(Duration.ofMillis(100))
			.failFast("supervisor exited:\n" + this, () -> !supervisor().isAlive())
			.until(() -> {
				try {
					HttpResponse<String> response = get(path);
					last[0] = response.body();
					return response.statusCode() == 200 && body.test(response.body());
				}
				catch (IOException ex) {
					return false;
				}
			});
		return last[0];
	}

	/** The first number after {@code "name":} in a JSON body. */
	public static long number(String json, String name) {
		Matcher matcher = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(-?\\d+)").matcher(json);
		if (!matcher.find()) {
			throw new AssertionError("no " + name + " in " + json);
		}
		return Long.parseLong(matcher.group(1));
	}

	/** The port the application serves on. */
	public int port() {
		return this.port;
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
