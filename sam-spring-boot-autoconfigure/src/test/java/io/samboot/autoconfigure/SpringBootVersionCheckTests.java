package io.samboot.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.samboot.autoconfigure.SpringBootVersionCheck.UnsupportedSpringBootVersionException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ApplicationListener;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SpringBootVersionCheckTests {

	private final MockEnvironment environment = new MockEnvironment();

	@Test
	void theBuildsOwnVersionIsSupported() {
		assertThat(SpringBootVersion.getVersion()).isNotNull();
		assertThatNoException()
			.isThrownBy(() -> SpringBootVersionCheck.check(SpringBootVersion.getVersion(), this.environment));
	}

	@Test
	void theRangeIsEveryFourZeroAndFourOne() {
		assertThat(SpringBootVersionCheck.supported("4.0.0")).isTrue();
		assertThat(SpringBootVersionCheck.supported("4.0.7")).isTrue();
		assertThat(SpringBootVersionCheck.supported("4.1.2")).isTrue();
		assertThat(SpringBootVersionCheck.supported("4.1.0-RC1")).isTrue();
		assertThat(SpringBootVersionCheck.supported("3.5.7")).isFalse();
		assertThat(SpringBootVersionCheck.supported("4.2.0")).isFalse();
		assertThat(SpringBootVersionCheck.supported("5.0.0")).isFalse();
	}

	@Test
	void boot35StopsStartUpNamingTheVersionAndTheRange() {
		UnsupportedSpringBootVersionException failure = catchThrowableOfType(
				UnsupportedSpringBootVersionException.class,
				() -> SpringBootVersionCheck.check("3.5.7", this.environment));
		FailureAnalysis analysis = new UnsupportedSpringBootVersionFailureAnalyzer().analyze(failure);
		assertThat(analysis.getDescription()).contains("Spring Boot 3.5.7").contains("4.0.x and 4.1.x");
		assertThat(analysis.getAction()).contains("4.0.x and 4.1.x")
			.contains("sam.compatibility-verifier.enabled=false");
	}

	@Test
	void theCheckCanBeSwitchedOff() {
		this.environment.setProperty("sam.compatibility-verifier.enabled", "false");
		assertThatNoException().isThrownBy(() -> SpringBootVersionCheck.check("4.2.0", this.environment));
	}

	@Test
	void isRegisteredUnderTheKeyEveryVersionReads() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(ApplicationListener.class))
			.hasAtLeastOneElementOfType(SpringBootVersionCheck.class);
	}

	@Test
	void thePomStatesTheSameRange() throws IOException {
		String pom = Files.readString(Path.of("..", "pom.xml"));
		assertThat(pom).contains("<sam.spring-boot.supported-range>[" + SpringBootVersionCheck.LOWEST + ","
				+ SpringBootVersionCheck.BEYOND + ")</sam.spring-boot.supported-range>");
	}

}
