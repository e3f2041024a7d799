package io.samboot.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The supervisor's lines follow the application's logging configuration: with
 * {@code logging.structured.format.console=ecs} every line on the console, the
 * supervisor's included, is ECS JSON of the application's shape (parsed here), the
 * supervisor's with its own PID and the {@code SAM-SUPERVISOR} tag; a level set for one
 * of its loggers holds; its lines reach {@code logging.file.name} too; and the thread
 * dump before a hang's warning signal is a file next to the log, named in the log line.
 */
@Tag("process")
class StructuredLoggingSampleProcessTests {

	private static final Duration START = Duration.ofSeconds(120);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void theSupervisorWritesEcsLinesLikeTheApplicationsAndItsDumpsBesideTheLogFile(@TempDir Path directory)
			throws Exception {
		Path logFile = directory.resolve("logs/app.log");
		try (SampleApp app = SampleApp.start("--logging.structured.format.console=ecs",
				"--logging.file.name=" + logFile, "--logging.level.io.samboot.supervisor.Launches=WARN",
				"--sam.time-interval=2s", "--sam.kill-delay=1s", "--sam.restart.delay=0")) {
			String first = app.awaitGet("/actuator/sam", (body) -> body.contains("\"state\":\"started\""), START);
			long instance = SampleApp.number(first, "pid");
			assertThat(app.post("/chaos/hang").statusCode()).isEqualTo(202);
			app.awaitGet("/actuator/sam",
					(body) -> body.contains("\"instanceId\":2") && body.contains("\"state\":\"started\""), START);

			List<JsonNode> supervisor = new ArrayList<>();
			Set<String> applicationShape = new TreeSet<>();
			for (String line : app.output().toString().split("\n")) {
				if (!line.startsWith("{")) {
					// A thread dump, a banner, a stack trace: never a supervisor line.
					assertThat(line).as(app.toString()).doesNotContain("[sam-supervisor]");
					continue;
				}
				JsonNode node = JSON.readTree(line);
				if (node.path("tags").toString().contains("SAM-SUPERVISOR")) {
					supervisor.add(node);
				}
				else if (applicationShape.isEmpty()) {
					applicationShape.addAll(shape(node));
				}
			}
			assertThat(supervisor).as(app.toString()).isNotEmpty().allSatisfy((node) -> {
				assertThat(shape(node)).containsAll(applicationShape);
				assertThat(node.path("process").path("pid").asLong()).isEqualTo(app.supervisorPid());
				assertThat(node.path("process").path("thread").path("name").asString()).isEqualTo("sam-supervisor");
				assertThat(node.path("log").path("logger").asString()).as("Launches is set to WARN")
					.isNotEqualTo("io.samboot.supervisor.Launches");
			});
			assertThat(supervisor).anySatisfy((node) -> assertThat(node.path("message").asString())
				.contains("instance 1 (pid " + instance + ") ended"));
			String dumped = supervisor.stream()
				.map((node) -> node.path("message").asString())
				.filter((message) -> message.contains("thread dump requested; it is written to "))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no thread dump line:\n" + app));
			Path dump = Path.of(dumped.substring(dumped.indexOf("written to ") + "written to ".length()).strip());
			assertThat(dump.getParent()).isEqualTo(logFile.toAbsolutePath().getParent());
			await().atMost(Duration.ofSeconds(10)).until(() -> Files.isRegularFile(dump));
			assertThat(Files.readString(dump)).contains("Full thread dump of pid " + instance);

			List<String> fileLines;
			try (Stream<String> lines = Files.lines(logFile)) {
				fileLines = lines.toList();
			}
			assertThat(fileLines).anySatisfy((line) -> assertThat(line).contains("[sam-supervisor]")
				.contains("instance 1 (pid " + instance + ") ended"));
		}
	}

	/** The names of the fields, nested ones as {@code a.b}. */
	private static Set<String> shape(JsonNode node) {
		Set<String> names = new TreeSet<>();
		node.propertyNames().forEach((name) -> {
			JsonNode value = node.get(name);
			if (value.isObject() && !value.isEmpty()) {
				shape(value).forEach((nested) -> names.add(name + "." + nested));
			}
			else {
				names.add(name);
			}
		});
		return names;
	}

}
