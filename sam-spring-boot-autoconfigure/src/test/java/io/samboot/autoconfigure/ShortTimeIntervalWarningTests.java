package io.samboot.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.samboot.SamSettings;
import org.junit.jupiter.api.Test;

import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

class ShortTimeIntervalWarningTests {

	@Test
	void anIntervalAJvmCannotAnswerReliablyIsWarnedAboutWithItsOrigin() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new OriginTrackedMapPropertySource("application.yml", Map.of("sam.time-interval",
					OriginTrackedValue.of("10ms", new TextResourceOrigin(new ClassPathResource("application.yml"),
							new TextResourceOrigin.Location(2, 17))))));
		SamSettings settings = SamSettings.builder().timeInterval(Duration.ofMillis(10)).build();

		assertThat(ShortTimeIntervalWarning.message(settings, environment))
			.hasValueSatisfying(message -> assertThat(message).contains(
					"sam.time-interval is 10ms (class path resource [application.yml] - 3:18)", "shorter than 100ms",
					"time-interval: 10 is 10s"));
	}

	@Test
	void noneAtOrAboveTheFloorOrWithoutAnInterval() {
		StandardEnvironment environment = new StandardEnvironment();
		assertThat(ShortTimeIntervalWarning.message(SamSettings.builder().timeInterval(Duration.ofMillis(100)).build(),
				environment))
			.isEmpty();
		assertThat(ShortTimeIntervalWarning.message(SamSettings.builder().timeInterval(Duration.ZERO).build(),
				environment))
			.isEmpty();
	}

}
