package io.samboot.supervisor;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parent-death prefix's answer, probed once per JVM or handed over. Alone: the answer
 * is the JVM's, and a launch beside these tests would use a prefix handed over here.
 */
@Isolated
class ParentDeathPrefixTests {

	@BeforeEach
	@AfterEach
	void forget() {
		ParentDeathPrefix.forget();
	}

	@Test
	void anAnswerHandedOverIsUsedWithoutProbing() {
		// No probe could find this: it names no executable.
		List<String> handed = List.of("/nonexistent/setpriv", "--pdeathsig", "KILL", "--");
		ParentDeathPrefix.handedOver(handed);
		assertThat(ParentDeathPrefix.find()).isEqualTo(handed);
		assertThat(ParentDeathPrefix.answered()).contains(handed);
	}

	@Test
	void theProbeRunsOnceAndItsAnswerIsKeptForTheHandover() {
		assertThat(ParentDeathPrefix.answered()).isEmpty();
		List<String> found = ParentDeathPrefix.find();
		assertThat(ParentDeathPrefix.answered()).contains(found);
		assertThat(ParentDeathPrefix.find()).isSameAs(found);
	}

}
