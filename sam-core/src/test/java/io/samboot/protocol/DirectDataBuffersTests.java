package io.samboot.protocol;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The direct memory a supervisor reads large stores into, lent and given back. */
class DirectDataBuffersTests {

	private final DirectDataBuffers buffers = new DirectDataBuffers();

	@Test
	void aLentBufferIsDirectAndHoldsExactlyTheLengthAskedFor() {
		ByteBuffer lent = this.buffers.lend(1000);

		assertThat(lent.isDirect()).isTrue();
		assertThat(lent.position()).isZero();
		assertThat(lent.limit()).isEqualTo(1000);
	}

	@Test
	void aBufferGivenBackIsLentAgainForALengthItHoldsWithoutBeingTwiceAsLarge() {
		ByteBuffer first = this.buffers.lend(1000);
		first.position(700);
		this.buffers.giveBack(first);

		ByteBuffer again = this.buffers.lend(600);

		assertThat(again).isSameAs(first);
		assertThat(again.position()).isZero();
		assertThat(again.limit()).isEqualTo(600);
	}

	@Test
	void aSpareMoreThanTwiceAsLargeAsTheLengthIsDroppedNotLent() {
		ByteBuffer large = this.buffers.lend(1000);
		this.buffers.giveBack(large);

		ByteBuffer small = this.buffers.lend(400);
		this.buffers.giveBack(small);

		assertThat(small).isNotSameAs(large);
		assertThat(small.capacity()).isEqualTo(400);
		assertThat(this.buffers.lend(400)).isSameAs(small);
		assertThat(this.buffers.lend(1000)).isNotSameAs(large);
	}

	@Test
	void aLengthTheSpareCannotHoldGetsANewBufferAndTheSpareStays() {
		ByteBuffer small = this.buffers.lend(100);
		this.buffers.giveBack(small);

		ByteBuffer large = this.buffers.lend(1000);

		assertThat(large).isNotSameAs(small);
		assertThat(large.limit()).isEqualTo(1000);
		assertThat(this.buffers.lend(100)).isSameAs(small);
	}

	@Test
	void aBufferIsLentToOneReaderAtATime() {
		ByteBuffer first = this.buffers.lend(100);
		this.buffers.giveBack(first);

		ByteBuffer lent = this.buffers.lend(100);
		ByteBuffer meanwhile = this.buffers.lend(100);

		assertThat(meanwhile).isNotSameAs(lent);
	}

	@Test
	void aSpareOneByteMoreThanTwiceTheLengthIsNotLent() {
		ByteBuffer spare = this.buffers.lend(1001);
		this.buffers.giveBack(spare);

		assertThat(this.buffers.lend(500)).isNotSameAs(spare);
	}

	@Test
	void theLastBufferGivenBackIsTheOneKept() {
		ByteBuffer first = this.buffers.lend(1000);
		ByteBuffer second = this.buffers.lend(1000);
		this.buffers.giveBack(first);
		this.buffers.giveBack(second);

		assertThat(this.buffers.lend(1000)).isSameAs(second);
	}

	@Test
	void heapBuffersAndNothingAreNotTakenBack() {
		this.buffers.giveBack(ByteBuffer.allocate(1000));
		this.buffers.giveBack(null);

		assertThat(this.buffers.lend(10).isDirect()).isTrue();
	}

}
