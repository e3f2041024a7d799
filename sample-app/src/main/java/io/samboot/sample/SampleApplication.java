package io.samboot.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small web application supervised by SAM. Run it as any Spring Boot application
 * ({@code java -jar sample-app.jar}): the process you start becomes the supervisor and
 * the application runs in the instance it launches.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
