/* walk.c - list a claim folder: every regular file under it, in a stable
 * order, with a UTF-8 relative path the report can print. What archivers
 * and desktops leave behind (hidden files, __MACOSX, Thumbs.db) is not
 * evidence. A symbolic link is read only when it leads to a file inside
 * the claim folder; any other link becomes an entry that says why it was
 * not followed, so a claim cannot pull in files from elsewhere or loop,
 * and the reviewer still sees that it was there. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ingest/ingest_int.h"

/* Deeper than this is a packing accident or a trap, not a claim. */
#define WALK_MAX_DEPTH 32

typedef struct {
	GPtrArray *files;
	char *claim_json;
	char *root_real; /* the claim folder, resolved: where links may lead */
} Walk;

static gboolean
is_litter(const char *name)
{
	return name[0] == '.' || strcmp(name, "__MACOSX") == 0 ||
	       g_ascii_strcasecmp(name, "Thumbs.db") == 0 ||
	       g_ascii_strcasecmp(name, "desktop.ini") == 0;
}

/* The explicit direction marks that make "发票\u202Efdp.exe" show as
 * "发票exe.pdf". */
static gboolean
is_bidi_control(gunichar c)
{
	return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* Bytes that are not UTF-8 and control characters become "\xNN", and
 * direction marks "\u{NNNN}", so every name stays printable and shows
 * what it is - a name holding ESC [31m must not recolour a reviewer's
 * terminal, nor a newline split a report's line - and two different
 * names stay different. */
static char *
escape_name(const char *name)
{
	GString *out = g_string_new(NULL);
	const char *p = name;
	const char *end = name + strlen(name);

	while (p < end) {
		gunichar c = g_utf8_get_char_validated(p, end - p);

		if (c == (gunichar)-1 || c == (gunichar)-2) {
			g_string_append_printf(out, "\\x%02X", (guint8)*p);
			p++;
			continue;
		}
		if (g_unichar_iscntrl(c))
			g_string_append_printf(out, "\\x%02X", c);
		else if (is_bidi_control(c))
			g_string_append_printf(out, "\\u{%04X}", c);
		else
			g_string_append_unichar(out, c);
		p = g_utf8_next_char(p);
	}
	return g_string_free(out, FALSE);
}

/* A name component as UTF-8. Zip files made on Chinese Windows store
 * names in GBK, which unzip leaves as raw bytes: decode those as GB18030
 * (a superset) before falling back to escapes. */
static char *
name_to_utf8(const char *name)
{
	char *gb;

	if (g_utf8_validate(name, -1, NULL))
		return escape_name(name);
	gb = g_convert(name, -1, "UTF-8", "GB18030", NULL, NULL, NULL);
	if (gb != NULL && g_utf8_validate(gb, -1, NULL)) {
		char *shown = escape_name(gb);

		g_free(gb);
		return shown;
	}
	g_free(gb);
	return escape_name(name);
}

static char *
join_rel(const char *rel_dir, const char *name)
{
	char *utf8 = name_to_utf8(name);
	char *rel;

	if (rel_dir == NULL)
		return utf8;
	rel = g_strconcat(rel_dir, "/", utf8, NULL);
	g_free(utf8);
	return rel;
}

/* An entry that could not be listed still appears, so the reviewer sees
 * that something was not checked. */
static void
add_failed(Walk *walk, const char *abs_path, const char *rel_path,
	   const char *reason)
{
	IngestFile *file = ingest_file_new(abs_path, rel_path);

	g_set_error(&file->error, CORE_ERROR, CORE_ERROR_IO,
		    "cannot read '%s': %s", rel_path, reason);
	g_ptr_array_add(walk->files, file);
}

static void walk_dir(Walk *walk, const char *abs_dir, const char *rel_dir,
		     int depth);

/* TARGET, a resolved absolute path, is the claim folder or lies in it. */
static gboolean
inside_claim(const Walk *walk, const char *target)
{
	gsize n = strlen(walk->root_real);

	/* The root "/" ends in the separator already. */
	if (n > 0 && walk->root_real[n - 1] == '/')
		n--;
	return strncmp(target, walk->root_real, n) == 0 &&
	       (target[n] == '\0' || target[n] == '/');
}

/* Why a link could not be resolved (ERR from realpath), for the
 * reviewer. */
static const char *
unresolved(int err)
{
	if (err == ENOENT)
		return "a link to a file that does not exist: not followed";
	if (err == ELOOP)
		return "a link that loops back on itself: not followed";
	return g_strerror(err);
}

/* A symbolic link in the claim folder. Zip archives and copied folders
 * can hold them; a web upload never does. A link that leads out of the
 * folder (a claim must not pull in /etc/passwd or another claim's
 * files), nowhere, or round in a circle is not followed but listed with
 * the reason, so the reviewer sees that something was not checked. A
 * link to a file inside the folder is read under the link's name: it is
 * what the provider's folder shows there. A link to a folder is not
 * followed: what it holds is inside the claim and walked where it is. */
static void
walk_link(Walk *walk, const char *abs_path, const char *rel_path, int depth)
{
	char *target;
	struct stat st;

	if (walk->root_real == NULL) {
		add_failed(walk, abs_path, rel_path,
			   "a symbolic link: not followed");
		return;
	}
	target = realpath(abs_path, NULL);
	if (target == NULL) {
		add_failed(walk, abs_path, rel_path, unresolved(errno));
		return;
	}
	if (!inside_claim(walk, target)) {
		add_failed(walk, abs_path, rel_path,
			   "a link to outside the claim folder: not followed");
	} else if (stat(target, &st) != 0) {
		add_failed(walk, abs_path, rel_path, g_strerror(errno));
	} else if (S_ISREG(st.st_mode)) {
		/* Read through the resolved path: the read goes where
		 * this check looked, not through the link again. */
		if (depth == 0 && strcmp(rel_path, "claim.json") == 0) {
			g_free(walk->claim_json);
			walk->claim_json = g_strdup(target);
		} else {
			g_ptr_array_add(walk->files,
					ingest_file_new(target, rel_path));
		}
	}
	/* Folders, FIFOs and devices behind links: not uploads. */
	free(target);
}

static void
walk_entry(Walk *walk, const char *abs_path, const char *rel_path, int depth)
{
	struct stat st;

	if (lstat(abs_path, &st) != 0) {
		add_failed(walk, abs_path, rel_path, g_strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		walk_dir(walk, abs_path, rel_path, depth + 1);
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		walk_link(walk, abs_path, rel_path, depth);
		return;
	}
	/* Sockets, FIFOs and devices are not uploads. */
	if (!S_ISREG(st.st_mode))
		return;
	if (depth == 0 && strcmp(rel_path, "claim.json") == 0) {
		g_free(walk->claim_json);
		walk->claim_json = g_strdup(abs_path);
		return;
	}
	g_ptr_array_add(walk->files, ingest_file_new(abs_path, rel_path));
}

static void
walk_dir(Walk *walk, const char *abs_dir, const char *rel_dir, int depth)
{
	const char *shown = rel_dir != NULL ? rel_dir : ".";
	DIR *dir = NULL;
	struct dirent *ent;

	if (depth > WALK_MAX_DEPTH) {
		add_failed(walk, abs_dir, shown,
			   "folders nested too deep; its contents were not "
			   "checked");
		return;
	}
	/* opendir, not GDir: GDir's error text repeats the absolute path,
	 * and the report must name the relative one. */
	dir = opendir(abs_dir);
	if (dir == NULL) {
		add_failed(walk, abs_dir, shown, g_strerror(errno));
		return;
	}
	while ((ent = readdir(dir)) != NULL) {
		const char *name = ent->d_name;
		char *abs_path, *rel_path;

		/* "." and ".." are caught here too. */
		if (is_litter(name))
			continue;
		abs_path = g_build_filename(abs_dir, name, NULL);
		rel_path = join_rel(rel_dir, name);
		walk_entry(walk, abs_path, rel_path, depth);
		g_free(abs_path);
		g_free(rel_path);
	}
	closedir(dir);
}

static gint
by_path(gconstpointer a, gconstpointer b)
{
	const IngestFile *fa = *(IngestFile *const *)a;
	const IngestFile *fb = *(IngestFile *const *)b;

	return strcmp(fa->path, fb->path);
}

GPtrArray *
ingest_claim_list(const char *dir, char **claim_json, GError **error)
{
	Walk walk = {NULL, NULL, NULL};
	DIR *top;
	char *shown;

	if (claim_json != NULL)
		*claim_json = NULL;
	/* Only the top folder failing is fatal; deeper failures are
	 * entries. */
	top = opendir(dir);
	if (top == NULL) {
		int saved = errno;

		shown = g_filename_display_name(dir);
		g_set_error(error, CORE_ERROR, CORE_ERROR_IO,
			    "cannot read the claim folder '%s': %s", shown,
			    g_strerror(saved));
		g_free(shown);
		return NULL;
	}
	closedir(top);
	walk.files = core_ptr_array_new(ingest_file_free);
	/* NULL only when the path vanished since: links are then listed
	 * as not followed, never followed unchecked. */
	walk.root_real = realpath(dir, NULL);
	walk_dir(&walk, dir, NULL, 0);
	free(walk.root_real);
	g_ptr_array_sort(walk.files, by_path);
	if (claim_json != NULL)
		*claim_json = g_steal_pointer(&walk.claim_json);
	g_free(walk.claim_json);
	return walk.files;
}

GPtrArray *
ingest_claim_scan(const char *dir, char **claim_json, GError **error)
{
	GPtrArray *files = ingest_claim_list(dir, claim_json, error);

	for (guint i = 0; files != NULL && i < files->len; i++)
		ingest_file_load(g_ptr_array_index(files, i));
	return files;
}
