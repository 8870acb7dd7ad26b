/* dbtool.c - what the fault tests ask of a store, without the sqlite3
 * shell (not installed where the tests run):
 *
 *   dbtool check DB          integrity_check and foreign_key_check clean,
 *                            and every scan complete (its files and facts
 *                            there); prints "ok" or what is wrong, exit 1
 *   dbtool dump DB           what a finished batch must leave, one sorted
 *                            line per fact: every cached page and second
 *                            reading by key, and per claim its number of
 *                            scans and what each holds, for comparing a
 *                            killed-and-resumed store with a clean one
 *   dbtool lock DB SECONDS READY
 *                            hold the write lock (BEGIN EXCLUSIVE) for
 *                            SECONDS, touching the file READY once held,
 *                            as another evidcheck or a reviewer's shell
 *                            in a transaction would
 *
 * Opened read-write without create, so a missing store is an error, not an
 * empty one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/store.h"

static sqlite3 *
open_db(const char *path)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		fprintf(stderr, "dbtool: %s: %s\n", path,
			db != NULL ? sqlite3_errmsg(db) : "cannot open");
		sqlite3_close(db);
		return NULL;
	}
	/* The store's own writers may hold it for a moment. */
	sqlite3_busy_timeout(db, 10000);
	return db;
}

/* Print every row of SQL, columns joined by a space, prefixed by TAG;
 * the row count, or -1 on error. */
static int
print_rows(sqlite3 *db, const char *tag, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int n = 0, rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "dbtool: %s: %s\n", sql, sqlite3_errmsg(db));
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fputs(tag, stdout);
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *v = sqlite3_column_text(st, i);

			printf(" %s", v != NULL ? (const char *)v : "NULL");
		}
		putchar('\n');
		n++;
	}
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "dbtool: %s: %s\n", sql, sqlite3_errmsg(db));
		n = -1;
	}
	sqlite3_finalize(st);
	return n;
}

/* A scan is complete when its transaction wrote all of it: at least one
 * file, its facts, and a report. Rows printed are the broken scans. */
static const char incomplete_sql[] =
    "SELECT 'incomplete scan', s.id, s.claim_id FROM scan s "
    "WHERE NOT EXISTS (SELECT 1 FROM scan_file f WHERE f.scan_id = s.id) "
    "OR NOT EXISTS (SELECT 1 FROM scan_fact t WHERE t.scan_id = s.id) "
    "OR length(s.report_json) = 0";

/* PRAGMA user_version: the migration steps applied (docs/store.md). */
static int
version(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) ==
		SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
check(const char *path)
{
	sqlite3 *db = open_db(path);
	int bad = 0, v;

	if (db == NULL)
		return 1;
	/* A run killed while it created the store leaves it at an earlier
	 * version (each step is one transaction): the next run goes on. */
	v = version(db);
	printf("version %d\n", v);
	if (v < 0 || v > STORE_SCHEMA_VERSION)
		bad = 1;
	/* integrity_check prints one row "ok" when all is well. */
	if (print_rows(db, "integrity",
		       "SELECT * FROM pragma_integrity_check "
		       "WHERE integrity_check <> 'ok'") != 0)
		bad = 1;
	if (print_rows(db, "foreign key", "PRAGMA foreign_key_check") != 0)
		bad = 1;
	if (v >= 5 && print_rows(db, "", incomplete_sql) != 0)
		bad = 1;
	sqlite3_close(db);
	puts(bad ? "not ok" : "ok");
	return bad;
}

/* Scan ids and times differ between runs; what each claim's scans hold
 * does not. */
static int
dump(const char *path)
{
	static const char *const queries[][2] = {
	    {"file", "SELECT sha256, size, kind, n_pages FROM file"},
	    {"page", "SELECT sha256, page, engine, source, length(text), "
		     "rotation, phash FROM page"},
	    {"page-dup", "SELECT sha256, page, engine, count(*) FROM page "
			 "GROUP BY sha256, page, engine HAVING count(*) > 1"},
	    {"verify", "SELECT sha256, page, engine, field, image, image2 "
		       "FROM page_verify"},
	    {"scans", "SELECT claim_id, count(*) FROM scan GROUP BY claim_id"},
	    {"scan",
	     "SELECT s.claim_id, s.verdict, s.rules_version IS NOT NULL, "
	     "(SELECT count(*) FROM scan_file f WHERE f.scan_id = s.id), "
	     "(SELECT count(*) FROM document d WHERE d.scan_id = s.id), "
	     "(SELECT count(*) FROM finding g WHERE g.scan_id = s.id), "
	     "(SELECT count(*) FROM scan_key k WHERE k.scan_id = s.id), "
	     "(SELECT count(*) FROM scan_fact t WHERE t.scan_id = s.id) "
	     "FROM scan s"}};
	sqlite3 *db = open_db(path);
	int bad = 0;

	if (db == NULL)
		return 1;
	for (size_t i = 0; i < sizeof queries / sizeof *queries; i++)
		if (print_rows(db, queries[i][0], queries[i][1]) < 0)
			bad = 1;
	sqlite3_close(db);
	return bad;
}

static int
lock(const char *path, const char *seconds, const char *ready)
{
	sqlite3 *db = open_db(path);
	FILE *f;

	if (db == NULL)
		return 1;
	if (sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		fprintf(stderr, "dbtool: BEGIN EXCLUSIVE: %s\n",
			sqlite3_errmsg(db));
		sqlite3_close(db);
		return 1;
	}
	f = fopen(ready, "w");
	if (f != NULL)
		fclose(f);
	sleep((unsigned)atoi(seconds));
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "check") == 0)
		return check(argv[2]);
	if (argc == 3 && strcmp(argv[1], "dump") == 0)
		return dump(argv[2]);
	if (argc == 5 && strcmp(argv[1], "lock") == 0)
		return lock(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: dbtool check DB | dump DB | lock DB SECONDS "
			"READY\n");
	return 2;
}
