package io.samboot.sample;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged sample application started as a user starts it ({@code java -jar}), on a free
 * loopback port: the process is the supervisor, the instance answers HTTP. On close it kills
 * exactly the processes it started.
 */
public final class SampleApp implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process supervisor;

    private final int port;

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private SampleApp(Process supervisor, int port) {
        this.supervisor = supervisor;
        this.port = port;
        Thread reader = new Thread(this::readOutput, "sample-output");
        reader.setDaemon(true);
        reader.start();
    }

    public static SampleApp start(String... arguments) throws IOException {
        return start(List.of(), arguments);
    }

    /** Starts the jar with these JVM options before {@code -jar} (e.g. {@code -Dsam.enabled=false}) and arguments. */
    public static SampleApp start(List<String> jvmOptions, String... arguments) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(System.getProperty("sample.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));
        command.add("--server.port=" + port);
        command.add("--server.address=127.0.0.1");
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("SAM_"));
        return new SampleApp(builder.start(), port);
    }

    public long supervisorPid() {
        return this.supervisor.pid();
    }

    public Process supervisor() {
        return this.supervisor;
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
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until {@code GET path} answers 200 with a body the predicate accepts; returns the body. */
    public String awaitGet(String path, Predicate<String> body, Duration timeout) {
        String[] last = new String[1];
        await("GET " + path).atMost(timeout).pollInterval(Duration.ofMillis(100))
            .failFast("supervisor exited:\n" + this, () -> !this.supervisor.isAlive())
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

    public String awaitLine(String text, Duration timeout) {
        await(text).atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> find(line -> line.contains(text)).isPresent());
        return find(line -> line.contains(text)).orElseThrow();
    }

    public Optional<String> find(Predicate<String> predicate) {
        return this.lines.stream().filter(predicate).findFirst();
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!this.supervisor.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("supervisor still running:\n" + this);
        }
        return this.supervisor.exitValue();
    }

    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !zombie(pid);
    }

    public static boolean zombie(long pid) {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        }
        catch (IOException ex) {
            return false;
        }
    }

    @Override
    public void close() {
        this.supervisor.descendants().forEach(ProcessHandle::destroyForcibly);
        this.supervisor.destroyForcibly();
    }

    @Override
    public String toString() {
        return String.join("\n", this.lines);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + this.port + path);
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(this.supervisor.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                this.lines.add(line);
            }
        }
        catch (IOException ex) {
            // The process ended.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
