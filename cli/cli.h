/* cli.h - the verbs of the evidcheck command. Only cli/ prints to the
 * terminal and chooses exit codes. */
#ifndef EVIDCHECK_CLI_H
#define EVIDCHECK_CLI_H

/* Exit codes, documented in the README and `evidcheck --help`. */
enum {
	CLI_EXIT_PASS = 0,    /* every checked claim passed */
	CLI_EXIT_FLAGGED = 1, /* at least one error finding */
	CLI_EXIT_FATAL = 2    /* bad usage, or nothing could be checked */
};

/* `evidcheck scan DIR [options]`. ARGV[0] is "scan". */
int cli_scan(int argc, char **argv);

#endif
