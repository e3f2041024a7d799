package io.samboot.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class MisplacedJvmSwitchesTests {

	@Test
	void aSwitchInAPropertyFileIsReportedWithItsOriginAndTheFix() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addLast(new MapPropertySource("Config resource 'class path resource [application.yml]'",
					Map.of("sam.supervisor.reexec", "false")));

		assertThat(MisplacedJvmSwitches.warnings(environment)).containsExactly("sam.supervisor.reexec is set in Config"
				+ " resource 'class path resource [application.yml]', where it has no effect: it is a JVM switch, read"
				+ " before Spring Boot reads properties. Pass it on the java command line instead:"
				+ " -Dsam.supervisor.reexec=false");
	}

	@Test
	void applicationPropertiesAreNotSwitches() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addLast(new MapPropertySource("application.yml",
					Map.of("sam.time-interval", "5s", "sam.enabled", "false")));

		assertThat(MisplacedJvmSwitches.warnings(environment)).isEmpty();
	}

	@Test
	void aSwitchGivenOnTheCommandLineIsWhereItBelongs() {
		System.setProperty("sam.native", "fallback");
		try {
			StandardEnvironment environment = new StandardEnvironment();
			assertThat(environment.containsProperty("sam.native")).isTrue();
			assertThat(MisplacedJvmSwitches.warnings(environment)).isEmpty();
		}
		finally {
			System.clearProperty("sam.native");
		}
	}

}
