package io.samboot.autoconfigure.httpcheck;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The liveness endpoint's URL as the supervisor reaches it, from the server's settings.
 */
class LivenessUrlTests {

	private final MockEnvironment environment = new MockEnvironment();

	@Test
	void theDefaultsGiveActuatorsLivenessGroupOnLoopback() {
		assertThat(LivenessUrl.of(this.environment, null, 8080))
			.isEqualTo("http://127.0.0.1:8080/actuator/health/liveness");
		assertThat(LivenessUrl.hasManagementServer(this.environment)).isFalse();
	}

	@Test
	void aWildcardAddressIsReachedOnLoopbackAndASpecificOneAsBound() {
		this.environment.setProperty("server.address", "0.0.0.0");
		assertThat(LivenessUrl.of(this.environment, null, 8080)).startsWith("http://127.0.0.1:8080/");
		this.environment.setProperty("server.address", "::1");
		assertThat(LivenessUrl.of(this.environment, null, 8080)).startsWith("http://[0:0:0:0:0:0:0:1]:8080/");
		this.environment.setProperty("server.address", "127.0.0.5");
		assertThat(LivenessUrl.of(this.environment, null, 8080)).startsWith("http://127.0.0.5:8080/");
	}

	@Test
	void theContextPathBasePathAndMappingAreFollowed() {
		this.environment.setProperty("server.servlet.context-path", "/shop/");
		this.environment.setProperty("management.endpoints.web.base-path", "/manage");
		this.environment.setProperty("management.endpoints.web.path-mapping.health", "healthz");
		assertThat(LivenessUrl.of(this.environment, null, 9000))
			.isEqualTo("http://127.0.0.1:9000/shop/manage/healthz/liveness");
	}

	@Test
	void anEmptyBasePathPutsHealthAtTheRoot() {
		this.environment.setProperty("management.endpoints.web.base-path", "/");
		assertThat(LivenessUrl.of(this.environment, null, 8080)).isEqualTo("http://127.0.0.1:8080/health/liveness");
	}

	@Test
	void aManagementServerOfItsOwnIsTheOneChecked() {
		this.environment.setProperty("server.port", "8080");
		this.environment.setProperty("management.server.port", "8081");
		this.environment.setProperty("management.server.address", "127.0.0.1");
		this.environment.setProperty("management.server.base-path", "/ops");
		this.environment.setProperty("server.servlet.context-path", "/shop");
		assertThat(LivenessUrl.hasManagementServer(this.environment)).isTrue();
		assertThat(LivenessUrl.of(this.environment, LivenessUrl.MANAGEMENT, 8081))
			.isEqualTo("http://127.0.0.1:8081/ops/actuator/health/liveness");
	}

	@Test
	void aManagementPortEqualToTheServersIsNoServerOfItsOwn() {
		this.environment.setProperty("server.port", "8080");
		this.environment.setProperty("management.server.port", "8080");
		assertThat(LivenessUrl.hasManagementServer(this.environment)).isFalse();
	}

}
