package io.samboot.supervisor;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console layout's time, written digit by digit, is what the pattern it stands for
 * writes: in every kind of zone, at a change of daylight-saving time, with an offset of
 * seconds, and at both ends of the years it writes itself.
 */
class ConsoleTimestampTests {

	private static final DateTimeFormatter PATTERN = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

	@Test
	void writesWhatThePatternWrites() {
		List<ZoneId> zones = List.of(ZoneId.of("UTC"), ZoneId.of("Z"), ZoneId.of("+05:30"), ZoneId.of("-03:00"),
				ZoneId.of("Europe/Berlin"), ZoneId.of("America/St_Johns"), ZoneId.of("Pacific/Kiritimati"),
				ZoneId.of("Europe/Amsterdam"), ZoneId.of("Asia/Kolkata"));
		List<Instant> times = List.of(Instant.parse("2026-12-04T05:15:57.123456789Z"),
				Instant.parse("2026-03-29T00:59:59.999Z"), Instant.parse("2026-03-29T01:00:00.000Z"),
				Instant.parse("2026-10-25T00:30:00.007Z"), Instant.parse("1900-01-01T00:00:00.050Z"),
				Instant.parse("1000-01-01T12:00:00Z"), Instant.parse("9999-12-31T10:00:00.999Z"),
				Instant.parse("0999-12-31T23:59:59Z"), Instant.parse("+10000-01-01T00:00:00Z"), Instant.EPOCH);
		for (ZoneId zone : zones) {
			for (Instant time : times) {
				assertThat(ConsoleTimestamp.of(time, zone)).as(time + " in " + zone)
					.isEqualTo(OffsetDateTime.ofInstant(time, zone).format(PATTERN));
			}
		}
	}

	@Test
	void anOffsetWithSecondsIsWrittenInHoursAndMinutesAsThePatternDoes() {
		// As Amsterdam's summer time before 1937: +01:19:32.
		ZoneId offset = ZoneOffset.ofHoursMinutesSeconds(1, 19, 32);
		Instant time = Instant.parse("1930-06-01T12:00:00Z");
		assertThat(ConsoleTimestamp.of(time, offset)).isEqualTo("1930-06-01T13:19:32.000+01:19")
			.isEqualTo(OffsetDateTime.ofInstant(time, offset).format(PATTERN));
	}

}
