package io.samboot;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JvmSwitchTests {

	@Test
	void everySwitchIsASamSystemPropertyOfItsOwn() {
		assertThat(JvmSwitch.values()).extracting(JvmSwitch::propertyName)
			.allMatch(name -> name.startsWith("sam."))
			.doesNotHaveDuplicates();
	}

	@Test
	void aSwitchIsFoundByItsName() {
		assertThat(JvmSwitch.named("sam.supervisor.reexec")).contains(JvmSwitch.SUPERVISOR_REEXEC);
		assertThat(JvmSwitch.named("sam.time-interval")).isEmpty();
	}

	@Test
	void aSwitchNotGivenHasItsDefault() {
		assertThat(JvmSwitch.COROSYNC_QUORUM_LIBRARY.value()).isEmpty();
		assertThat(JvmSwitch.COROSYNC_QUORUM_LIBRARY.valueOrDefault()).isEqualTo("libquorum.so.5");
		assertThat(JvmSwitch.CONTROL_HANDSHAKE_TIMEOUT_MS.numberOrDefault()).isEqualTo(10_000);
	}

	@Test
	void aSwitchGivenOnTheCommandLineWins() {
		System.setProperty("sam.corosync.cmap-library", "/opt/corosync/libcmap.so.4");
		try {
			assertThat(JvmSwitch.COROSYNC_CMAP_LIBRARY.valueOrDefault()).isEqualTo("/opt/corosync/libcmap.so.4");
		}
		finally {
			System.clearProperty("sam.corosync.cmap-library");
		}
	}

	@Test
	void aNumberSwitchThatIsNotANumberCountsAsNotGiven() {
		System.setProperty("sam.control.handshake-timeout-ms", "soon");
		try {
			assertThat(JvmSwitch.CONTROL_HANDSHAKE_TIMEOUT_MS.numberOrDefault()).isEqualTo(10_000);
		}
		finally {
			System.clearProperty("sam.control.handshake-timeout-ms");
		}
	}

}
