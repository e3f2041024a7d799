package io.samboot;

import io.samboot.SamSettings.InvalidSettingException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Where the supervisor's HTTP liveness check may go, and where not. */
class LoopbackHttpUrlTests {

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:8080/actuator/health/liveness", "http://127.0.0.2:80/",
			"http://[::1]:8080/live", "http://localhost:8080/live", "HTTP://LOCALHOST:1/", "http://127.0.0.1/" })
	void loopbackHttpIsAccepted(String url) {
		assertThat(LoopbackHttpUrl.check("health-check.http.url", url)).hasToString(url);
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://192.0.2.1:8080/live", "http://example.com/", "http://localhost.example.com/",
			"http://0.0.0.0:8080/", "http://[::]:8080/", "http://2130706433/", "http://cafe:8080/" })
	void anotherHostIsRefused(String url) {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> LoopbackHttpUrl.check("health-check.http.url", url))
			.withMessageContaining("sam.health-check.http.url")
			.withMessageContaining("only checks its own instance over loopback");
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://127.0.0.1:8443/live", "file:///etc/passwd", "127.0.0.1:8080/live", "http:///live",
			"http://127.0.0.1:0/" })
	void anythingButPlainHttpToAHostIsRefused(String url) {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> LoopbackHttpUrl.check("health-check.http.url", url))
			.withMessageContaining("use http://127.0.0.1:<port>/<path>");
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:8080/a b", "http://[::1:8080/" })
	void aMalformedUrlIsRefused(String url) {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> LoopbackHttpUrl.check("health-check.http.url", url))
			.withMessageContaining("it is not a URL");
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://0x7f.1:8080/", "http://127.1:8080/" })
	void shortFormsOfLoopbackAreRefusedRatherThanLookedUp(String url) {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> LoopbackHttpUrl.check("health-check.http.url", url))
			.withMessageContaining("sam.health-check.http.url");
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://192.0.2.1:8080/live" })
	void theSettingsRefuseItToo(String url) {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SamSettings.builder().httpCheck(true).httpCheckUrl(url).build())
			.withMessageContaining("sam.health-check.http.url");
	}

}
