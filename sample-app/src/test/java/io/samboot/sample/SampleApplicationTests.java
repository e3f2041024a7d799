package io.samboot.sample;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application in a test: unsupervised (instance id 0), with the SAM API
 * working locally.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@LocalServerPort
	private int port;

	private RestClient http() {
		return RestClient.builder().baseUrl("http://localhost:" + this.port).build();
	}

	@Test
	void rootDescribesTheInstance() {
		Map<String, Object> body = http().get().uri("/").retrieve().body(JSON);
		assertThat(body).containsEntry("instanceId", 0)
			.containsEntry("restartCount", 0)
			.containsEntry("state", "started")
			.containsEntry("pid", (int) ProcessHandle.current().pid());
	}

	@Test
	void counterIsKeptInTheDataStore() {
		long before = ((Number) http().get().uri("/counter").retrieve().body(JSON).get("counter")).longValue();
		Map<String, Object> incremented = http().post().uri("/counter").retrieve().body(JSON);
		assertThat(((Number) incremented.get("counter")).longValue()).isEqualTo(before + 1);
		assertThat(((Number) http().get().uri("/counter").retrieve().body(JSON).get("counter")).longValue())
			.isEqualTo(before + 1);
		Map<String, Object> sam = http().get().uri("/actuator/sam").retrieve().body(JSON);
		// The sample's record: magic, counter, crash-on-start count, blob length, CRC32
		// (28 bytes with no blob).
		assertThat(sam).containsEntry("dataSize", 28);
	}

	@Test
	void samEndpointShowsEveryField() {
		Map<String, Object> body = http().get().uri("/actuator/sam").retrieve().body(JSON);
		assertThat(body).containsKeys("state", "instanceId", "restartCount", "recoveryPolicy", "pollPeriod",
				"lastUpdated", "warnSignal", "pid", "supervisorPid", "quorate", "dataSize", "history");
		assertThat(body).containsEntry("state", "started")
			.containsEntry("instanceId", 0)
			.containsEntry("recoveryPolicy", "restart")
			.containsEntry("pollPeriod", 5000)
			.containsEntry("warnSignal", "SIGTERM")
			.containsEntry("quorate", null)
			.containsEntry("history", List.of());
	}

	@Test
	void samEndpointIsReadOnlyByDefault() {
		HttpStatusCode status = http().post()
			.uri("/actuator/sam")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("action", "restart"))
			.exchange((request, response) -> response.getStatusCode());
		assertThat(status.is4xxClientError()).isTrue();
	}

	@Test
	void samHealthContributorIsUp() {
		Map<String, Object> health = http().get().uri("/actuator/health").retrieve().body(JSON);
		assertThat(health).containsEntry("status", "UP");
		@SuppressWarnings("unchecked")
		Map<String, Object> sam = (Map<String, Object>) ((Map<String, Object>) health.get("components")).get("sam");
		assertThat(sam).containsEntry("status", "UP");
	}

	@Test
	void metersAreScraped() {
		String scrape = http().get().uri("/actuator/prometheus").retrieve().body(String.class);
		assertThat(scrape).contains("sam_info{instance_id=\"0\"} 1", "# TYPE sam_restarts_total counter",
				"sam_restarts_total{cause=\"exited\"} 0", "sam_state{", "sam_healthcheck_seconds",
				"sam_data_size_bytes");
	}

	/**
	 * Spring Boot 4 has the probe groups without Kubernetes (docs/DEPLOYMENT.md says so).
	 */
	@Test
	void probeGroupsAreThereWithoutKubernetes() {
		assertThat(http().get().uri("/actuator/health/liveness").retrieve().body(JSON)).containsEntry("status", "UP");
		assertThat(http().get().uri("/actuator/health/readiness").retrieve().body(JSON)).containsEntry("status", "UP");
	}

	@Test
	void infoDescribesTheInstance() {
		Map<String, Object> info = http().get().uri("/actuator/info").retrieve().body(JSON);
		assertThat(info).containsEntry("sam", Map.of("instanceId", 0, "supervisorPid", -1, "restartCount", 0, "state",
				"started", "supervised", false));
	}

}
