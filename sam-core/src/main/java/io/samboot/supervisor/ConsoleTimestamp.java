package io.samboot.supervisor;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The time at the head of a supervisor line in Spring Boot's console layout,
 * {@code yyyy-MM-dd'T'HH:mm:ss.SSSXXX} in the JVM's time zone, written digit by digit.
 *
 * <p>
 * Why not {@link DateTimeFormatter}: a supervisor writes a few lines an hour, so its
 * formatting code is never compiled, and interpreted the formatter's chain of printers
 * took 100-150 us a line on two CPUs, the largest part of the time between an instance's
 * exit and the line that says it ended. These few divisions take a tenth of that. Years
 * outside 1000-9999 (which the pattern writes with a sign) go through the formatter.
 */
final class ConsoleTimestamp {

	private static final DateTimeFormatter PATTERN = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

	private ConsoleTimestamp() {
	}

	/** {@code time} as the console layout writes it in {@code zone}. */
	static String of(Instant time, ZoneId zone) {
		ZoneOffset offset = zone.getRules().getOffset(time);
		LocalDateTime local = LocalDateTime.ofEpochSecond(time.getEpochSecond(), time.getNano(), offset);
		int year = local.getYear();
		if (year < 1000 || year > 9999) {
			return OffsetDateTime.ofInstant(time, zone).format(PATTERN);
		}
		StringBuilder text = new StringBuilder(29);
		text.append(year);
		two(text.append('-'), local.getMonthValue());
		two(text.append('-'), local.getDayOfMonth());
		two(text.append('T'), local.getHour());
		two(text.append(':'), local.getMinute());
		two(text.append(':'), local.getSecond());
		int millis = local.getNano() / 1_000_000;
		text.append('.').append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10));
		text.append((char) ('0' + millis % 10));
		int seconds = offset.getTotalSeconds();
		if (seconds == 0) {
			return text.append('Z').toString();
		}
		// XXX: hours and minutes, the offset's seconds (old local mean times) left out.
		int absolute = Math.abs(seconds);
		two(text.append((seconds < 0) ? '-' : '+'), absolute / 3600);
		two(text.append(':'), absolute / 60 % 60);
		return text.toString();
	}

	private static void two(StringBuilder text, int value) {
		text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
	}

}
