package io.samboot.session;

import java.util.Arrays;

import io.samboot.SamError;
import io.samboot.SamException;
import io.samboot.SamSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The bytes the application stored, copied in and out. */
class StoredDataTests {

	private static final SamSettings EIGHT_BYTES = SamSettings.builder().dataStoreMaxSize(8).build();

	private final StoredData data = new StoredData();

	@Test
	void nothingIsStoredAtFirst() {
		assertThat(this.data.stored()).isNull();
		assertThat(this.data.size()).isZero();
		assertThat(this.data.restore()).isEmpty();
	}

	@Test
	void aStoreKeepsACopyOfTheCallersBytes() {
		byte[] bytes = { 1, 2, 3 };

		byte[] copy = StoredData.copyForStore(bytes, EIGHT_BYTES);

		assertThat(copy).containsExactly(1, 2, 3).isNotSameAs(bytes);
	}

	@Test
	void nullOrNothingStoresNothing() {
		assertThat(StoredData.copyForStore(null, EIGHT_BYTES)).isNull();
		assertThat(StoredData.copyForStore(new byte[0], EIGHT_BYTES)).isNull();
	}

	@Test
	void bytesAboveTheMaximumAreTooBig() {
		assertThatExceptionOfType(SamException.class)
			.isThrownBy(() -> StoredData.copyForStore(new byte[9], EIGHT_BYTES))
			.withMessage("TOO_BIG: 9 bytes exceed sam.data-store.max-size (8 bytes)")
			.satisfies(ex -> assertThat(ex.error()).isEqualTo(SamError.TOO_BIG));
	}

	@Test
	void theArrayThatReplacesTheDataIsKeptAsItIsWithoutACopy() {
		byte[] welcome = { 4, 2 };

		this.data.replace(welcome);

		assertThat(this.data.stored()).isSameAs(welcome);
		assertThat(this.data.size()).isEqualTo(2);
	}

	@Test
	void aRestoreIsACopy() {
		this.data.replace(new byte[] { 1, 2, 3 });

		this.data.restore()[0] = 9;

		assertThat(this.data.restore()).containsExactly(1, 2, 3);
	}

	@Test
	void aRestoreIntoALargerBufferCopiesOnlyTheStoredBytes() {
		this.data.replace(new byte[] { 1, 2, 3 });
		byte[] buffer = new byte[5];
		Arrays.fill(buffer, (byte) 7);

		assertThat(this.data.restoreInto(buffer)).isEqualTo(3);
		assertThat(buffer).containsExactly(1, 2, 3, 7, 7);
	}

	@Test
	void aRestoreIntoASmallerBufferIsInvalidParamAndCopiesNothing() {
		this.data.replace(new byte[] { 1, 2, 3 });
		byte[] small = { 7, 7 };

		assertThatExceptionOfType(SamException.class).isThrownBy(() -> this.data.restoreInto(small))
			.withMessage("INVALID_PARAM: buffer of 2 bytes is smaller than the 3 bytes stored")
			.satisfies(ex -> assertThat(ex.error()).isEqualTo(SamError.INVALID_PARAM));
		assertThat(small).containsExactly(7, 7);
	}

	@Test
	void aRestoreWithNothingStoredCopiesNothing() {
		byte[] buffer = { 5 };

		assertThat(this.data.restoreInto(buffer)).isZero();
		assertThat(buffer).containsExactly(5);
	}

}
