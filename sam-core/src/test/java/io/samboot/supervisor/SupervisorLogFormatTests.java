package io.samboot.supervisor;

import java.time.Instant;
import java.util.Map;

import io.samboot.log.SamLog;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The supervisor's lines in each format, field by field as Spring Boot 4.1 writes the
 * application's (the shapes were taken from the sample application's own lines).
 */
class SupervisorLogFormatTests {

	private static final Instant TIME = Instant.parse("2026-12-02T23:10:41.599259202Z");

	private static final Map<String, String> LOGGING = Map.of("logging.sam.application-name", "shop");

	private final SupervisorLogFormat.Line line = new SupervisorLogFormat.Line(TIME, SamLog.Level.WARN,
			"io.samboot.supervisor.SupervisorLoop", "instance 2 (pid 42) said \"no\"\n\tand a tab", null, 4242,
			LOGGING);

	@Test
	void ecsHasSpringBootsFieldsAndTheSupervisorsTag() {
		assertThat(SupervisorLogFormat.ECS.line(this.line))
			.isEqualTo("{\"@timestamp\":\"2026-12-02T23:10:41.599259202Z\","
					+ "\"log\":{\"level\":\"WARN\",\"logger\":\"io.samboot.supervisor.SupervisorLoop\"},"
					+ "\"process\":{\"pid\":4242,\"thread\":{\"name\":\"sam-supervisor\"}},"
					+ "\"service\":{\"name\":\"shop\",\"node\":{}},"
					+ "\"message\":\"instance 2 (pid 42) said \\\"no\\\"\\n\\tand a tab\","
					+ "\"tags\":[\"SAM-SUPERVISOR\"],\"ecs\":{\"version\":\"8.11\"}}");
	}

	@Test
	void logstashHasSpringBootsFields() {
		assertThat(SupervisorLogFormat.LOGSTASH.line(this.line))
			.isEqualTo("{\"@timestamp\":\"2026-12-02T23:10:41.599259202Z\",\"@version\":\"1\","
					+ "\"message\":\"instance 2 (pid 42) said \\\"no\\\"\\n\\tand a tab\","
					+ "\"logger_name\":\"io.samboot.supervisor.SupervisorLoop\",\"thread_name\":\"sam-supervisor\","
					+ "\"level\":\"WARN\",\"level_value\":30000,\"tags\":[\"SAM-SUPERVISOR\"]}");
	}

	@Test
	void gelfHasSpringBootsFields() {
		assertThat(SupervisorLogFormat.GELF.line(this.line))
			.isEqualTo("{\"version\":\"1.1\",\"short_message\":\"instance 2 (pid 42) said \\\"no\\\"\\n\\tand a tab\","
					+ "\"timestamp\":1796253041.599,\"level\":4,\"_level_name\":\"WARN\",\"_process_pid\":4242,"
					+ "\"_process_thread_name\":\"sam-supervisor\",\"host\":\"shop\","
					+ "\"_log_logger\":\"io.samboot.supervisor.SupervisorLoop\",\"_tags\":\"SAM-SUPERVISOR\"}");
	}

	@Test
	void anErrorTravelsWithItsStackTrace() {
		SupervisorLogFormat.Line failed = new SupervisorLogFormat.Line(TIME, SamLog.Level.ERROR, "x", "failed",
				new IllegalStateException("boom"), 1, Map.of());
		assertThat(SupervisorLogFormat.ECS.line(failed))
			.contains("\"error\":{\"type\":\"java.lang.IllegalStateException\",\"message\":\"boom\",\"stack_trace\":\"")
			.doesNotContain("\"name\":\"shop\"");
		assertThat(SupervisorLogFormat.LOGSTASH.line(failed))
			.contains("\"stack_trace\":\"java.lang.IllegalStateException: boom\\n");
		assertThat(SupervisorLogFormat.GELF.line(failed))
			.contains("\"_error_type\":\"java.lang.IllegalStateException\"");
		assertThat(SupervisorLogFormat.PLAIN.line(failed)).contains("[sam-supervisor] failed")
			.contains("java.lang.IllegalStateException: boom");
	}

	@Test
	void onlyTheThreeStructuredFormatsAreKnown() {
		assertThat(SupervisorLogFormat.of(null)).isEqualTo(SupervisorLogFormat.PLAIN);
		assertThat(SupervisorLogFormat.of(" ECS ")).isEqualTo(SupervisorLogFormat.ECS);
		assertThat(SupervisorLogFormat.of("logstash")).isEqualTo(SupervisorLogFormat.LOGSTASH);
		assertThat(SupervisorLogFormat.of("gelf")).isEqualTo(SupervisorLogFormat.GELF);
		assertThat(SupervisorLogFormat.of("com.example.MyFormatter")).isNull();
	}

	@Test
	void levelsFollowTheMostSpecificLogger() {
		SupervisorLogLevels levels = new SupervisorLogLevels(Map.of("logging.level.root", "WARN",
				"logging.level.io.samboot.supervisor", "DEBUG", "logging.level.io.samboot.supervisor.Launches", "OFF"));
		assertThat(levels.isEnabled(SamLog.Level.DEBUG, "io.samboot.supervisor.SupervisorLoop")).isTrue();
		assertThat(levels.isEnabled(SamLog.Level.ERROR, "io.samboot.supervisor.Launches")).isFalse();
		assertThat(levels.isEnabled(SamLog.Level.INFO, "io.samboot.log.SamLog")).isFalse();
		assertThat(levels.isEnabled(SamLog.Level.WARN, "io.samboot.log.SamLog")).isTrue();
		assertThat(new SupervisorLogLevels(Map.of()).isEnabled(SamLog.Level.DEBUG, "a.b")).isFalse();
		assertThat(new SupervisorLogLevels(Map.of()).isEnabled(SamLog.Level.INFO, "a.b")).isTrue();
	}

}
