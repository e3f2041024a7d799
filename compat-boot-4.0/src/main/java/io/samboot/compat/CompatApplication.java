package io.samboot.compat;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The smallest supervised web application on Spring Boot 4.0.x: the starter and Actuator
 * with the Prometheus registry, and one request that says which Spring Boot runs it.
 */
@SpringBootApplication
@RestController
public class CompatApplication {

	@GetMapping("/boot-version")
	Map<String, String> bootVersion() {
		return Map.of("version", SpringBootVersion.getVersion());
	}

	public static void main(String[] args) {
		SpringApplication.run(CompatApplication.class, args);
	}

}
