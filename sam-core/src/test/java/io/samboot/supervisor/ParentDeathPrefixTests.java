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
		// A probe looks at /usr/bin/setpriv first: it could not give this.
		List<String> handed = List.of("/bin/setpriv", "--pdeathsig", "KILL", "--");
		ParentDeathPrefix.handedOver(handed);
		assertThat(ParentDeathPrefix.find()).isEqualTo(handed);
		assertThat(ParentDeathPrefix.answered()).contains(handed);
	}

	@Test
	void noPrefixHandedOverIsUsedToo() {
		ParentDeathPrefix.handedOver(List.of());
		assertThat(ParentDeathPrefix.find()).isEmpty();
	}

	@Test
	void aHandoverNamingAnythingElseIsLeftForTheProbe() {
		ParentDeathPrefix.handedOver(List.of("/tmp/evil", "--pdeathsig", "KILL", "--"));
		assertThat(ParentDeathPrefix.answered()).isEmpty();
		ParentDeathPrefix.handedOver(List.of("/usr/bin/setpriv", "--pdeathsig", "KILL", "--", "/tmp/evil"));
		assertThat(ParentDeathPrefix.answered()).isEmpty();
		assertThat(ParentDeathPrefix.find()).doesNotContain("/tmp/evil");
	}

	@Test
	void theProbeRunsOnceAndItsAnswerIsKeptForTheHandover() {
		assertThat(ParentDeathPrefix.answered()).isEmpty();
		List<String> found = ParentDeathPrefix.find();
		assertThat(ParentDeathPrefix.answered()).contains(found);
		assertThat(ParentDeathPrefix.find()).isSameAs(found);
	}

}
