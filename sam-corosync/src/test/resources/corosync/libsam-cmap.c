/*
 * Drives corosync's own libsam with SAM_RECOVERY_POLICY_CMAP, so that a test can read the CMAP keys
 * libsam writes and compare them with ours. Usage: libsam-cmap quit|restart <time interval ms> [quorum]
 * ("quorum" adds SAM_RECOVERY_POLICY_QUORUM: start then blocks until corosync is quorate).
 * The active process (libsam's child) reads commands from standard input, one per line:
 *   start | hc | stop | markfailed | exit <status>
 * and answers each with "ok <server pid> <command>" (or "err <cs_error_t> <command>") on standard output.
 * On SIGTERM (libsam's warning signal) the child prints "sigterm <CLOCK_MONOTONIC ns>" and exits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <time.h>
#include <corosync/sam.h>

/* The warning signal: say when it came (CLOCK_MONOTONIC, as System.nanoTime), then exit. */
static void on_sigterm(int signal)
{
	struct timespec now;
	char text[64];
	int length;

	clock_gettime(CLOCK_MONOTONIC, &now);
	length = snprintf(text, sizeof(text), "sigterm %lld\n", (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
	write(STDOUT_FILENO, text, length);
	_exit(128 + signal);
}

static void answer(cs_error_t err, const char *command)
{
	if (err == CS_OK) {
		printf("ok %d %s\n", (int)getppid(), command);
	} else {
		printf("err %d %s\n", (int)err, command);
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	char line[128];
	unsigned int instance_id;
	sam_recovery_policy_t policy;
	cs_error_t err;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: %s quit|restart <time interval ms> [quorum]\n", argv[0]);
		return 2;
	}
	policy = (strcmp(argv[1], "quit") == 0) ? SAM_RECOVERY_POLICY_QUIT : SAM_RECOVERY_POLICY_RESTART;
	if (argc == 4 && strcmp(argv[3], "quorum") == 0) {
		policy |= SAM_RECOVERY_POLICY_QUORUM;
	}
	setvbuf(stdin, NULL, _IONBF, 0);
	if ((err = sam_initialize(atoi(argv[2]), policy | SAM_RECOVERY_POLICY_CMAP)) != CS_OK) {
		answer(err, "initialize");
		return 1;
	}
	if ((err = sam_register(&instance_id)) != CS_OK) {
		answer(err, "register");
		return 1;
	}
	/* Only libsam's child gets here; its parent is libsam's server. */
	signal(SIGTERM, on_sigterm);
	printf("registered %d %u\n", (int)getppid(), instance_id);
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, "start") == 0) {
			answer(sam_start(), line);
		} else if (strcmp(line, "hc") == 0) {
			answer(sam_hc_send(), line);
		} else if (strcmp(line, "stop") == 0) {
			answer(sam_stop(), line);
		} else if (strcmp(line, "markfailed") == 0) {
			answer(sam_mark_failed(), line);
		} else if (strncmp(line, "exit ", 5) == 0) {
			answer(CS_OK, line);
			exit(atoi(line + 5));
		} else {
			answer(CS_ERR_INVALID_PARAM, line);
		}
	}
	return 0;
}
