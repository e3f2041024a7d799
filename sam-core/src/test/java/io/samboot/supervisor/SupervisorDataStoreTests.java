package io.samboot.supervisor;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import io.samboot.SamError;
import io.samboot.SamSettings;
import io.samboot.protocol.Message;
import io.samboot.protocol.Message.Reply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The supervisor's side of the data store: kept as the channel reads it, and by the loop.
 */
class SupervisorDataStoreTests {

	private final AtomicLong nanos = new AtomicLong(1_000);

	private final SupervisorDataStore store = new SupervisorDataStore(null, limit(16), this.nanos::get);

	@Test
	void theDataStoredBeforeTheFirstInstanceIsACopy() {
		byte[] initial = { 1, 2, 3 };
		SupervisorDataStore copied = new SupervisorDataStore(initial, limit(16), this.nanos::get);

		initial[0] = 9;

		assertThat(copied.data()).containsExactly(1, 2, 3);
		assertThat(copied.size()).isEqualTo(3);
	}

	@Test
	void aStoreReadIntoDirectMemoryIsKeptThereAndHandedOutAsACopy() {
		SupervisorDataStore large = new SupervisorDataStore(null, limit(1024), this.nanos::get);
		large.keepFrom(1);
		ByteBuffer read = large.buffers().lend(3).put(new byte[] { 7, 8, 9 }).flip();

		assertThat(large.store(1, read).isOk()).isTrue();

		byte[] handedOut = large.data();
		assertThat(handedOut).containsExactly(7, 8, 9);
		assertThat(large.size()).isEqualTo(3);
		handedOut[0] = 0;
		assertThat(large.data()).containsExactly(7, 8, 9);
	}

	@Test
	void theDirectMemoryOfAReplacedStoreIsLentAgainForTheNext() {
		SupervisorDataStore large = new SupervisorDataStore(null, limit(1024), this.nanos::get);
		large.keepFrom(1);
		ByteBuffer first = large.buffers().lend(3).put(new byte[] { 1, 2, 3 }).flip();
		large.store(1, first);
		ByteBuffer second = large.buffers().lend(2).put(new byte[] { 4, 5 }).flip();

		large.store(1, second);

		assertThat(large.data()).containsExactly(4, 5);
		assertThat(large.buffers().lend(3)).isSameAs(first);
	}

	@Test
	void theDirectMemoryOfALargeStoreReplacedByASmallOneOrRemovedIsNotKept() {
		SupervisorDataStore large = new SupervisorDataStore(null, limit(1024), this.nanos::get);
		large.keepFrom(1);
		ByteBuffer first = large.buffers().lend(3).put(new byte[] { 1, 2, 3 }).flip();
		large.store(1, first);

		large.store(1, StoredBytes.bufferOf(new byte[] { 4 }));

		assertThat(large.data()).containsExactly(4);
		assertThat(large.buffers().lend(3)).isNotSameAs(first);
	}

	@Test
	void theDirectMemoryOfALargeStoreReplacedByOneLessThanHalfItsSizeIsNotKept() {
		SupervisorDataStore large = new SupervisorDataStore(null, limit(1024), this.nanos::get);
		large.keepFrom(1);
		ByteBuffer first = large.buffers().lend(1000).put(new byte[1000]).flip();
		large.store(1, first);
		ByteBuffer smaller = large.buffers().lend(400).put(new byte[400]).flip();

		large.store(1, smaller);

		assertThat(large.size()).isEqualTo(400);
		assertThat(large.buffers().lend(1000)).isNotSameAs(first);
	}

	@Test
	void theDataIsHandedOutOnlyWhenItFitsTheLimitAsked() {
		SupervisorDataStore stored = new SupervisorDataStore(new byte[] { 1, 2, 3 }, limit(16), this.nanos::get);

		assertThat(stored.dataIfFits(limit(3))).containsExactly(1, 2, 3);
		assertThat(stored.dataIfFits(limit(2))).isNull();
	}

	@Test
	void theDirectMemoryOfAStoreNotKeptIsLentAgain() {
		SupervisorDataStore large = new SupervisorDataStore(null, limit(1024), this.nanos::get);
		ByteBuffer read = large.buffers().lend(3);

		large.discard(new Message.DataStoreRead(read));

		assertThat(large.buffers().lend(3)).isSameAs(read);
	}

	@Test
	void aStoreOverTheLimitInDirectMemoryIsRefusedAndItsMemoryLentAgain() {
		SupervisorDataStore small = new SupervisorDataStore(null, limit(2), this.nanos::get);
		small.keepFrom(1);
		ByteBuffer tooBig = small.buffers().lend(3).put(new byte[] { 1, 2, 3 }).flip();

		Reply reply = small.store(1, tooBig);

		assertThat(reply.error()).isEqualTo(SamError.TOO_BIG.name());
		assertThat(small.data()).isNull();
		assertThat(small.buffers().lend(3)).isSameAs(tooBig);
	}

	@Test
	void theChannelKeepsTheStoresOfTheInstanceItWasToldTo() {
		this.store.keepFrom(1);

		Reply reply = this.store.store(1, StoredBytes.bufferOf(new byte[] { 4, 2 }));

		assertThat(reply.isOk()).isTrue();
		assertThat(this.store.data()).containsExactly(4, 2);
	}

	@Test
	void storesOfAnyOtherInstanceAreLeftToTheLoop() {
		this.store.keepFrom(1);

		assertThat(this.store.store(2, StoredBytes.bufferOf(new byte[] { 7 }))).isNull();
		assertThat(this.store.data()).isNull();
	}

	@Test
	void beforeAnyRegistrationAndAfterAnExitEveryStoreIsLeftToTheLoop() {
		assertThat(this.store.store(1, StoredBytes.bufferOf(new byte[] { 7 }))).isNull();
		this.store.keepFrom(1);
		this.store.keepFrom(0);

		assertThat(this.store.store(1, StoredBytes.bufferOf(new byte[] { 7 }))).isNull();
	}

	@Test
	void theChannelRefusesDataAboveTheLimitAsTooBig() {
		this.store.keepFrom(1);
		this.store.store(1, StoredBytes.bufferOf(new byte[] { 1 }));

		Reply reply = this.store.store(1, StoredBytes.bufferOf(new byte[17]));

		assertThat(reply.error()).isEqualTo(SamError.TOO_BIG.name());
		assertThat(reply.message()).isEqualTo("17 bytes exceed sam.data-store.max-size (16)");
		assertThat(this.store.data()).as("kept as it was").containsExactly(1);
	}

	@Test
	void theLoopRefusesDataAboveTheLimitWithTheSameAnswer() {
		Reply reply = this.store.storeReceived(StoredBytes.bufferOf(new byte[17]));

		assertThat(reply).isEqualTo(new Reply(SamError.TOO_BIG.name(), "17 bytes exceed sam.data-store.max-size (16)"));
	}

	@Test
	void dataOfExactlyTheLimitFits() {
		assertThat(this.store.storeReceived(StoredBytes.bufferOf(new byte[16])).isOk()).isTrue();
		assertThat(this.store.size()).isEqualTo(16);
	}

	@Test
	void nullOrEmptyDataRemovesWhatIsStored() {
		this.store.storeReceived(StoredBytes.bufferOf(new byte[] { 1 }));
		this.store.storeReceived(StoredBytes.bufferOf(new byte[0]));
		assertThat(this.store.data()).isNull();

		this.store.storeReceived(StoredBytes.bufferOf(new byte[] { 1 }));
		this.store.storeReceived(null);
		assertThat(this.store.size()).isZero();
	}

	@Test
	void theRegisteredInstancesLimitAppliesFromItsRegistration() {
		this.store.settings(limit(1024));

		assertThat(this.store.storeReceived(StoredBytes.bufferOf(new byte[17])).isOk()).isTrue();
	}

	@Test
	void aStoreKeptOnTheChannelIsNotedWithItsTime() {
		this.store.keepFrom(1);
		this.nanos.set(5_000);

		this.store.store(1, StoredBytes.bufferOf(new byte[] { 1 }));

		assertThat(this.store.lastKeptNanos(1, 0)).isEqualTo(5_000);
	}

	@Test
	void aStoreOfAnotherInstanceIsNoSignOfLifeForThisOne() {
		this.store.keepFrom(1);
		this.store.store(1, StoredBytes.bufferOf(new byte[] { 1 }));

		assertThat(this.store.lastKeptNanos(2, 42)).isEqualTo(42);
	}

	@Test
	void storesTheLoopKeepsAreNotNotedAsKeptOnTheChannel() {
		this.store.storeReceived(StoredBytes.bufferOf(new byte[] { 1 }));

		assertThat(this.store.lastKeptNanos(1, 42)).isEqualTo(42);
	}

	@Test
	void aRefusedStoreIsNoSignOfLife() {
		this.store.keepFrom(1);

		this.store.store(1, StoredBytes.bufferOf(new byte[17]));

		assertThat(this.store.lastKeptNanos(1, 42)).isEqualTo(42);
	}

	private static SamSettings limit(long bytes) {
		return SamSettings.builder().dataStoreMaxSize(bytes).build();
	}

}
