package io.samboot.supervisor;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;

import io.samboot.log.SamLog;

/**
 * How one supervisor line is written: Spring Boot's console layout, or one of the
 * structured formats Spring Boot writes ({@code logging.structured.format.*}:
 * {@code ecs}, {@code logstash}, {@code gelf}) in the same JSON shape as the
 * application's lines, so a log pipeline reads both alike. The supervisor's lines carry
 * its own PID, the thread name {@code sam-supervisor} and, where the format has tags, the
 * tag {@code SAM-SUPERVISOR}.
 */
enum SupervisorLogFormat {

	/** Spring Boot's console layout, marked {@code [sam-supervisor]}. */
	PLAIN {
		@Override
		String line(Line line) {
			String level = line.level().name();
			String text = ConsoleTimestamp.of(line.time(), ZoneId.systemDefault()) + " "
					+ (level.length() == 4 ? " " + level : level) + " " + line.pid() + " --- [sam-supervisor] "
					+ line.message();
			return (line.error() != null) ? text + System.lineSeparator() + stackTrace(line.error()).stripTrailing()
					: text;
		}
	},

	/** Elastic Common Schema, as Spring Boot's {@code ecs}. */
	ECS {
		@Override
		String line(Line line) {
			Json json = new Json().field("@timestamp", line.time().toString())
				.open("log")
				.field("level", line.level().name())
				.field("logger", line.logger())
				.close()
				.open("process")
				.field("pid", line.pid())
				.open("thread")
				.field("name", THREAD)
				.close()
				.close();
			String service = serviceName(line.logging(), "logging.structured.ecs.service.name");
			json.open("service");
			if (service != null) {
				json.field("name", service);
			}
			optional(json, "version", line.logging().get("logging.structured.ecs.service.version"));
			optional(json, "environment", line.logging().get("logging.structured.ecs.service.environment"));
			json.open("node");
			optional(json, "name", line.logging().get("logging.structured.ecs.service.node-name"));
			json.close().close().field("message", line.message());
			if (line.error() != null) {
				json.open("error")
					.field("type", line.error().getClass().getName())
					.field("message", String.valueOf(line.error().getMessage()))
					.field("stack_trace", stackTrace(line.error()))
					.close();
			}
			return json.tags().open("ecs").field("version", "8.11").close().end();
		}
	},

	/** Logstash's JSON, as Spring Boot's {@code logstash}. */
	LOGSTASH {
		@Override
		String line(Line line) {
			Json json = new Json().field("@timestamp", line.time().toString())
				.field("@version", "1")
				.field("message", line.message())
				.field("logger_name", line.logger())
				.field("thread_name", THREAD)
				.field("level", line.level().name())
				.field("level_value", levelValue(line.level()));
			if (line.error() != null) {
				json.field("stack_trace", stackTrace(line.error()));
			}
			return json.tags().end();
		}
	},

	/** Graylog's GELF, as Spring Boot's {@code gelf}. */
	GELF {
		@Override
		String line(Line line) {
			Json json = new Json().field("version", "1.1")
				.field("short_message", line.message())
				.raw("timestamp",
						String.format(Locale.ROOT, "%d.%03d", line.time().getEpochSecond(),
								line.time().getNano() / 1_000_000))
				.field("level", syslogLevel(line.level()))
				.field("_level_name", line.level().name())
				.field("_process_pid", line.pid())
				.field("_process_thread_name", THREAD);
			String host = serviceName(line.logging(), "logging.structured.gelf.host");
			if (host != null) {
				json.field("host", host);
			}
			json.field("_log_logger", line.logger()).field("_tags", TAG);
			if (line.error() != null) {
				json.field("_error_type", line.error().getClass().getName())
					.field("_error_message", String.valueOf(line.error().getMessage()))
					.field("_error_stack_trace", stackTrace(line.error()));
			}
			return json.end();
		}
	};

	/** The thread name every structured line carries. */
	static final String THREAD = "sam-supervisor";

	/** The tag (a marker, in Spring Boot's terms) every structured line carries. */
	static final String TAG = "SAM-SUPERVISOR";

	/** One line to write, with the logging settings it is written under. */
	record Line(Instant time, SamLog.Level level, String logger, String message, Throwable error, long pid,
			Map<String, String> logging) {
	}

	abstract String line(Line line);

	/**
	 * The format a {@code logging.structured.format.*} value names; {@code null} for a
	 * custom formatter class, which only the application's JVM can load.
	 */
	static SupervisorLogFormat of(String name) {
		if (name == null || name.isBlank()) {
			return PLAIN;
		}
		return switch (name.strip().toLowerCase(Locale.ROOT)) {
			case "ecs" -> ECS;
			case "logstash" -> LOGSTASH;
			case "gelf" -> GELF;
			default -> null;
		};
	}

	/**
	 * The service name as Spring Boot takes it: the property, else the application's
	 * name.
	 */
	private static String serviceName(Map<String, String> logging, String property) {
		String name = logging.get(property);
		return (name != null && !name.isBlank()) ? name : logging.get("logging.sam.application-name");
	}

	private static void optional(Json json, String name, String value) {
		if (value != null && !value.isBlank()) {
			json.field(name, value);
		}
	}

	private static int levelValue(SamLog.Level level) {
		return switch (level) {
			case DEBUG -> 10000;
			case INFO -> 20000;
			case WARN -> 30000;
			case ERROR -> 40000;
		};
	}

	private static int syslogLevel(SamLog.Level level) {
		return switch (level) {
			case DEBUG -> 7;
			case INFO -> 6;
			case WARN -> 4;
			case ERROR -> 3;
		};
	}

	static String stackTrace(Throwable error) {
		StringWriter trace = new StringWriter();
		error.printStackTrace(new PrintWriter(trace));
		return trace.toString();
	}

	/** A JSON object written field by field: the few shapes above need nothing more. */
	private static final class Json {

		private final StringBuilder out = new StringBuilder("{");

		private boolean first = true;

		Json field(String name, String value) {
			return raw(name, quote(value));
		}

		Json field(String name, long value) {
			return raw(name, Long.toString(value));
		}

		Json raw(String name, String json) {
			separate();
			this.out.append(quote(name)).append(':').append(json);
			return this;
		}

		Json open(String name) {
			separate();
			this.out.append(quote(name)).append(":{");
			this.first = true;
			return this;
		}

		Json close() {
			this.out.append('}');
			this.first = false;
			return this;
		}

		Json tags() {
			return raw("tags", "[" + quote(TAG) + "]");
		}

		String end() {
			return this.out.append('}').toString();
		}

		private void separate() {
			if (!this.first) {
				this.out.append(',');
			}
			this.first = false;
		}

		static String quote(String value) {
			StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
			for (int i = 0; i < value.length(); i++) {
				char c = value.charAt(i);
				switch (c) {
					case '"' -> quoted.append("\\\"");
					case '\\' -> quoted.append("\\\\");
					case '\n' -> quoted.append("\\n");
					case '\r' -> quoted.append("\\r");
					case '\t' -> quoted.append("\\t");
					default -> {
						if (c < 0x20) {
							quoted.append(String.format("\\u%04x", (int) c));
						}
						else {
							quoted.append(c);
						}
					}
				}
			}
			return quoted.append('"').toString();
		}

	}

}
