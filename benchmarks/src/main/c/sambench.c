/*
 * The corosync column of the benchmark suite: the same figures as the Java side, measured with
 * Debian's libsam (corosync 3.x). Built and run by benchmarks/run.sh through the suite:
 *
 *   gcc -O2 -o sambench sambench.c -lsam
 *
 *   sambench micro          hc_send, data store/restore 1 KiB and 1 MiB, timed in the child;
 *                           prints RESULT lines in microseconds
 *   sambench hang  <file>   time_interval 200 ms, restart; the child sends a heartbeat every 50 ms
 *                           and records when; the suite stops it (SIGSTOP) and watches the signals
 *   sambench idle  <file>   time_interval 1000 ms, restart, hc callback; the suite measures the
 *                           forked server (this process) while idle
 *
 * <file> is 4 KiB shared with the suite (little-endian int64 slots, see SharedSlots.java):
 *   0 stop (set by the suite: the child stops SAM and exits 0, so the server quits)
 *   1 instance id   2 pid   3 CLOCK_MONOTONIC ns right after sam_register returned in this child
 *   4 CLOCK_MONOTONIC ns right after the last heartbeat was written   5 sequence: the instance id,
 *   written last, once health checking is started
 * Only the QUIT/RESTART policies are used: no corosync daemon is needed.
 */
#define _GNU_SOURCE
#include <corosync/sam.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

enum { SLOT_STOP = 0, SLOT_IID = 1, SLOT_PID = 2, SLOT_REGISTERED = 3, SLOT_LAST_HC = 4, SLOT_SEQ = 5 };

static volatile int64_t *slots;

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void check(cs_error_t err, const char *call)
{
	if (err != CS_OK) {
		fprintf(stderr, "sambench: %s failed: cs_error_t %d\n", call, (int)err);
		exit(70);
	}
}

static void map_slots(const char *path)
{
	int fd = open(path, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "sambench: open %s: %s\n", path, strerror(errno));
		exit(66);
	}
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "sambench: mmap %s: %s\n", path, strerror(errno));
		exit(66);
	}
	close(fd);
	slots = p;
}

static void store(int slot, int64_t value)
{
	__atomic_store_n(&slots[slot], value, __ATOMIC_RELEASE);
}

static int64_t load(int slot)
{
	return __atomic_load_n(&slots[slot], __ATOMIC_ACQUIRE);
}

static void stop_and_exit(void)
{
	sam_stop();
	sam_finalize();
	exit(0);
}

/* ---- micro ------------------------------------------------------------------------------ */

static int compare(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static void report(const char *name, int64_t *samples, int n)
{
	double sum = 0;
	for (int i = 0; i < n; i++) {
		sum += samples[i];
	}
	qsort(samples, n, sizeof(int64_t), compare);
	printf("RESULT corosync %s n=%d p50=%.3f p90=%.3f p99=%.3f mean=%.3f min=%.3f max=%.3f\n", name, n,
	       samples[n / 2] / 1000.0, samples[(int)(n * 0.90)] / 1000.0, samples[(int)(n * 0.99)] / 1000.0,
	       sum / n / 1000.0, samples[0] / 1000.0, samples[n - 1] / 1000.0);
	fflush(stdout);
}

static void spin_ns(int64_t ns)
{
	int64_t until = now_ns() + ns;
	while (now_ns() < until) {
	}
}

/* Times n calls of one operation, after n/10 untimed warm-up calls. */
#define TIME_CALLS(name, n, pause_ns, call)                                  \
	do {                                                                     \
		int64_t *samples = malloc(sizeof(int64_t) * (n));                   \
		for (int i = 0; i < (n) / 10; i++) {                                 \
			check(call, #call);                                              \
		}                                                                    \
		for (int i = 0; i < (n); i++) {                                      \
			if (pause_ns) {                                                  \
				spin_ns(pause_ns);                                           \
			}                                                                \
			int64_t t0 = now_ns();                                           \
			cs_error_t err = call;                                           \
			samples[i] = now_ns() - t0;                                      \
			check(err, #call);                                               \
		}                                                                    \
		report(name, samples, (n));                                          \
		free(samples);                                                       \
	} while (0)

/* The average of n calls timed as one batch: for calls shorter than two clock reads. */
#define TIME_BATCH(name, n, call)                                            \
	do {                                                                     \
		for (int i = 0; i < (n) / 10; i++) {                                 \
			check(call, #call);                                              \
		}                                                                    \
		int64_t t0 = now_ns();                                               \
		for (int i = 0; i < (n); i++) {                                      \
			check(call, #call);                                              \
		}                                                                    \
		double avg = (now_ns() - t0) / (double)(n) / 1000.0;                \
		printf("RESULT corosync %s n=%d p50=%.4f p90=%.4f p99=%.4f mean=%.4f min=%.4f max=%.4f\n", name, (n), \
		       avg, avg, avg, avg, avg, avg);                                \
		fflush(stdout);                                                      \
	} while (0)

static void micro(void)
{
	unsigned int iid;
	check(sam_initialize(60000, SAM_RECOVERY_POLICY_QUIT), "sam_initialize");
	check(sam_register(&iid), "sam_register");
	/* Only the child gets here; the server (this process before the fork) quits when it exits. */
	check(sam_start(), "sam_start");

	int64_t t0 = now_ns();
	for (int i = 0; i < 1000000; i++) {
		now_ns();
	}
	printf("TIMER corosync clock_gettime_ns=%.1f\n", (now_ns() - t0) / 1000000.0);

	/* A pipe holds 64 KiB: 20000 one-byte heartbeats never fill it, whatever the server does. */
	TIME_CALLS("hcSend", 20000, 0, sam_hc_send());
	TIME_CALLS("hcSendPaced", 20000, 20000, sam_hc_send());

	size_t sizes[] = { 1024, 1048576 };
	int store_calls[] = { 5000, 300 };
	int restore_calls[] = { 50000, 1000 };
	for (int s = 0; s < 2; s++) {
		size_t size = sizes[s];
		char *data = malloc(size);
		char *buffer = malloc(size);
		for (size_t i = 0; i < size; i++) {
			data[i] = (char)rand();
		}
		char name[64];
		snprintf(name, sizeof(name), "dataStore.%zu", size);
		TIME_CALLS(name, store_calls[s], 0, sam_data_store(data, size));
		snprintf(name, sizeof(name), "dataRestore.%zu", size);
		TIME_CALLS(name, restore_calls[s], 0, sam_data_restore(buffer, size));
		snprintf(name, sizeof(name), "dataRestoreAverage.%zu", size);
		TIME_BATCH(name, restore_calls[s] * 4, sam_data_restore(buffer, size));
		free(data);
		free(buffer);
	}
	stop_and_exit();
}

/* ---- hang and crash --------------------------------------------------------------------- */

static void publish(unsigned int iid, int64_t registered)
{
	store(SLOT_IID, iid);
	store(SLOT_PID, getpid());
	store(SLOT_REGISTERED, registered);
	store(SLOT_LAST_HC, now_ns());
	store(SLOT_SEQ, iid);
}

static void hang(const char *path)
{
	unsigned int iid;
	map_slots(path);
	check(sam_initialize(200, SAM_RECOVERY_POLICY_RESTART), "sam_initialize");
	check(sam_register(&iid), "sam_register");
	int64_t registered = now_ns();
	check(sam_start(), "sam_start");
	publish(iid, registered);
	while (!load(SLOT_STOP)) {
		/* A heartbeat every quarter of the interval, as the Java supervisor requests checks. */
		check(sam_hc_send(), "sam_hc_send");
		store(SLOT_LAST_HC, now_ns());
		usleep(50000);
	}
	stop_and_exit();
}

static int healthy(void)
{
	return 0;
}

static void idle(const char *path)
{
	unsigned int iid;
	map_slots(path);
	check(sam_initialize(1000, SAM_RECOVERY_POLICY_RESTART), "sam_initialize");
	check(sam_register(&iid), "sam_register");
	int64_t registered = now_ns();
	check(sam_hc_callback_register(healthy), "sam_hc_callback_register");
	check(sam_start(), "sam_start");
	publish(iid, registered);
	while (!load(SLOT_STOP)) {
		usleep(100000);
	}
	stop_and_exit();
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && strcmp(argv[1], "micro") == 0) {
		micro();
	}
	else if (argc == 3 && strcmp(argv[1], "hang") == 0) {
		hang(argv[2]);
	}
	else if (argc == 3 && strcmp(argv[1], "idle") == 0) {
		idle(argv[2]);
	}
	fprintf(stderr, "usage: sambench micro | hang FILE | idle FILE\n");
	return 64;
}
