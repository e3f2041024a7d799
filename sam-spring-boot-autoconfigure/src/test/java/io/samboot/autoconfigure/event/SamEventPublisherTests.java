package io.samboot.autoconfigure.event;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.samboot.EndCause;
import io.samboot.InstanceRecord;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SamEventPublisherTests {

	private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

	@Test
	void theRegistrationCarriesTheInstanceJustBeforeThisOne() {
		List<ApplicationEvent> heard = new CopyOnWriteArrayList<>();
		try (GenericApplicationContext context = context(heard)) {
			InstanceRecord first = record(1, EndCause.EXITED);
			InstanceRecord second = record(2, EndCause.HEALTH_CHECK_TIMEOUT);

			new SamEventPublisher(context).registered(3, 2, List.of(first, second));

			assertThat(heard).singleElement().isInstanceOfSatisfying(SamInstanceRegisteredEvent.class, event -> {
				assertThat(event.getInstanceId()).isEqualTo(3);
				assertThat(event.getRestartCount()).isEqualTo(2);
				assertThat(event.getPrevious()).contains(second);
			});
		}
	}

	@Test
	void aPromotedStandbyWhosePredecessorIsStillStoppingHasNoPreviousRatherThanAnOlderOne() {
		List<ApplicationEvent> heard = new CopyOnWriteArrayList<>();
		try (GenericApplicationContext context = context(heard)) {
			new SamEventPublisher(context).registered(3, 2, List.of(record(1, EndCause.EXITED)));

			assertThat(heard).singleElement()
				.isInstanceOfSatisfying(SamInstanceRegisteredEvent.class,
						event -> assertThat(event.getPrevious()).isEmpty());
		}
	}

	@Test
	void theFirstInstanceHasNoPrevious() {
		List<ApplicationEvent> heard = new CopyOnWriteArrayList<>();
		try (GenericApplicationContext context = context(heard)) {
			new SamEventPublisher(context).registered(1, 0, List.of());

			assertThat(heard).singleElement()
				.isInstanceOfSatisfying(SamInstanceRegisteredEvent.class,
						event -> assertThat(event.getPrevious()).isEmpty());
		}
	}

	@Test
	void noticesArePublishedOffTheCallersThread() {
		List<ApplicationEvent> heard = new CopyOnWriteArrayList<>();
		List<String> threads = new CopyOnWriteArrayList<>();
		try (GenericApplicationContext context = context(heard)) {
			context.addApplicationListener(event -> threads.add(Thread.currentThread().getName()));
			SamEventPublisher publisher = new SamEventPublisher(context);

			publisher.quorumLost();
			publisher.quorumRegained();
			publisher.stopping(EndCause.HEALTH_CHECK_FAILED, "db: down");

			await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 3);
			assertThat(heard).extracting(Object::getClass)
				.containsExactly(SamQuorumLostEvent.class, SamQuorumRegainedEvent.class,
						SamInstanceStoppingEvent.class);
			assertThat(((SamInstanceStoppingEvent) heard.get(2)).getCause()).isEqualTo(EndCause.HEALTH_CHECK_FAILED);
			assertThat(threads).containsOnly("sam-events");
			publisher.close();
		}
	}

	private static GenericApplicationContext context(List<ApplicationEvent> heard) {
		GenericApplicationContext context = new GenericApplicationContext();
		context.addApplicationListener(event -> {
			if (!(event instanceof org.springframework.context.event.ContextRefreshedEvent)
					&& !(event instanceof org.springframework.context.event.ContextClosedEvent)) {
				heard.add(event);
			}
		});
		context.refresh();
		return context;
	}

	private static InstanceRecord record(int id, EndCause cause) {
		return new InstanceRecord(id, 1000 + id, T.plusSeconds(id * 10), T.plusSeconds(id * 10 + 5), cause, 137,
				"SIGKILL", null);
	}

}
